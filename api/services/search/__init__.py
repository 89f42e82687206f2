"""Search: one interface (``search``), two back-ends (SQLite FTS5, PostgreSQL)."""
