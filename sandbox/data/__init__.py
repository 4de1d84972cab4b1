"""Data shipped with the package: the Natural Earth basemap (public domain)."""
