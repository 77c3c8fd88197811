"""stelsel: software for the Dutch stelsel van mkb-dienstverlening."""

__version__ = "0.1.0"
