-- Graders report in while they run, so health and metrics can tell a live fleet from a dead one.
CREATE TABLE graders (
    id            text PRIMARY KEY,
    host          text NOT NULL,
    started_at    timestamptz NOT NULL,
    last_seen     timestamptz NOT NULL,
    graded        bigint NOT NULL DEFAULT 0,
    current_submission uuid
);
