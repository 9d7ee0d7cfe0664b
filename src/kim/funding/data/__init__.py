"""Data files of the funding rules (TV-L table increases)."""
