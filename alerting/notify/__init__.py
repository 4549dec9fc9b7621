"""Notifiers, one module per channel. Each module exposes ``CHANNEL`` (see :mod:`.base`)."""
