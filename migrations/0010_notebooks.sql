-- The debugging workbench: each level has the candidate's scratch notebook (C# cells) and notes
-- for the reviewer; a notebook run executes the candidate's files and cells in a single-use
-- sandbox on a grader. It is not scored, and it is queued and leased like a submission.

ALTER TABLE session_levels
    -- [{"code": "...", "output": {...last result of this cell, or null}}], as last saved or run.
    ADD COLUMN notebook jsonb,
    -- The candidate's notes for the reviewer: what they tried, expected and saw.
    ADD COLUMN notes text;

CREATE TABLE notebook_runs (
    id                   uuid PRIMARY KEY,
    session_id           uuid NOT NULL REFERENCES sessions (id),
    level_position       int NOT NULL,
    challenge_version_id uuid NOT NULL REFERENCES challenge_versions (id),
    files                jsonb NOT NULL,
    cells                jsonb NOT NULL,
    status               text NOT NULL CHECK (status IN ('queued', 'running', 'done')),
    attempts             int NOT NULL DEFAULT 0,
    lease_owner          text,
    lease_expires_at     timestamptz,
    created_at           timestamptz NOT NULL,
    started_at           timestamptz,
    finished_at          timestamptz,
    -- The run's outcome (compile errors, per-cell results, timeout...) once done.
    result               jsonb,
    CHECK ((status = 'done') = (result IS NOT NULL))
);
CREATE INDEX notebook_runs_pending ON notebook_runs (created_at) WHERE status <> 'done';
CREATE INDEX notebook_runs_by_session ON notebook_runs (session_id, created_at);

-- Each cell's result as the grader reports it, so the page shows cells as they finish.
CREATE TABLE notebook_run_cells (
    run_id uuid NOT NULL REFERENCES notebook_runs (id),
    cell   int NOT NULL,
    at     timestamptz NOT NULL,
    result jsonb NOT NULL,
    PRIMARY KEY (run_id, cell)
);
