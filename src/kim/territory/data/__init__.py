"""Data files of the territory: the 54 units (CSV) and municipalities (YAML)."""
