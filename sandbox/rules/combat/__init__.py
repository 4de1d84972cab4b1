"""Combat: attrition laws (``laws``) and the daily fight phase (``fighting``)."""
