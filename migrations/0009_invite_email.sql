-- Invites name their candidate by e-mail too (bulk invites come from a list of names and e-mails),
-- and the session opened from an invite keeps it for the reports.
ALTER TABLE invites ADD COLUMN email text;
ALTER TABLE sessions ADD COLUMN email text;

-- Extra time given to a running session by staff, with why: the deadline moves by the minutes, and
-- sessions.extra_minutes (the invite's extra time plus every grant) stays within the bound.
ALTER TABLE sessions ADD CONSTRAINT sessions_extra_minutes_bounded CHECK (extra_minutes BETWEEN 0 AND 600);

CREATE TABLE session_time_grants (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id uuid NOT NULL REFERENCES sessions (id),
    minutes    int NOT NULL CHECK (minutes > 0),
    reason     text NOT NULL,
    granted_at timestamptz NOT NULL
);

CREATE INDEX session_time_grants_by_session ON session_time_grants (session_id, granted_at);
