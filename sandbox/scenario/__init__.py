"""The scenario layer: the map schema, loading and validation, overrides, generated maps.

Imports nothing of the model: ``sandbox validate`` loads only this layer.
"""
