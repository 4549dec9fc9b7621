"""NOC Command Center: the kernel and the composition root.

Nothing happens at import: no settings are read and no connection is opened here.
"""

__version__ = "0.1.0"
