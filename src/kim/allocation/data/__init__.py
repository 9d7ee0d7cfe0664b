"""Data files of the allocation package (observed posts)."""
