-- Hidden probes start from a seed drawn per submission from the version's pool, so the reference
-- observations are kept per (version, hidden seed). Rows computed before this were made with the
-- old single seed and are only a cache: they are dropped and recomputed on demand.
DELETE FROM reference_runs;
ALTER TABLE reference_runs ADD COLUMN hidden_seed bigint NOT NULL;
ALTER TABLE reference_runs DROP CONSTRAINT reference_runs_pkey;
ALTER TABLE reference_runs ADD PRIMARY KEY (challenge_version_id, hidden_seed);
