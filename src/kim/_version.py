"""The version of kim-nrw."""

__version__ = "0.1.0"
