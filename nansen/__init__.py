"""Nansen: refugee status determination and refugee protection casework."""

__version__ = "0.1.0"
