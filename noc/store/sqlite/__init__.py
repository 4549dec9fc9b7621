"""The SQLite backend of the event store: one module per repository, sharing ``db``."""
