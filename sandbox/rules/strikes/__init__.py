"""Strikes: targeting, depot displacement, and the interdiction phase."""
