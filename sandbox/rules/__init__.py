"""The rules of the model, one module per phase: functions over the state's arrays."""
