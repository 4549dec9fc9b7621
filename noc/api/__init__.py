"""The HTTP API: one router module per area, mounted by noc.app."""
