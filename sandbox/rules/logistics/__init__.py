"""The supply rules, one module per phase, as functions over :class:`SupplyState`."""
