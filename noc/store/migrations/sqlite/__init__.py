"""SQLite migrations of the event store: ``NNNN_name.sql``, applied in order."""
