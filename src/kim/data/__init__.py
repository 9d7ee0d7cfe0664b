"""Data files shipped with the library (sources)."""
