"""Precursor Exchange: information exchange against the diversion of drug precursor chemicals."""

__version__ = "0.1.0"
