"""Ends its process at import, skipping every handler."""
import os

os._exit(0)
