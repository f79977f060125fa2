-- Snapshot retention (BUGHUNT_SNAPSHOT_RETENTION_DAYS) deletes by age across all sessions.
CREATE INDEX snapshots_by_time ON snapshots (at);
