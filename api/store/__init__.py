"""Storage: SQLite connections, reads, the query planner, writes, the full-text index."""
