"""Figures from Results (never from the model): the dashboard."""
