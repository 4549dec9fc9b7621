"""Renderers that turn the lab state into one device's OIDs, one module per MIB family."""
