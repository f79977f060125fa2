-- Integrity signals recorded by the candidate's page, and proctoring snapshots.
ALTER TABLE sessions ADD COLUMN consent jsonb;

CREATE TABLE integrity_events (
    id          bigserial PRIMARY KEY,
    session_id  uuid NOT NULL REFERENCES sessions (id),
    kind        text NOT NULL CHECK (kind IN ('tab_hidden', 'tab_visible', 'window_blur', 'window_focus', 'paste', 'copy', 'fullscreen_exit')),
    -- Server time: the page's clock is never trusted.
    at          timestamptz NOT NULL,
    size        int,
    level       int
);
CREATE INDEX integrity_events_by_session ON integrity_events (session_id, at);

CREATE TABLE snapshots (
    id           bigserial PRIMARY KEY,
    session_id   uuid NOT NULL REFERENCES sessions (id),
    kind         text NOT NULL CHECK (kind IN ('webcam', 'screen')),
    at           timestamptz NOT NULL,
    content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
    content      bytea NOT NULL
);
CREATE INDEX snapshots_by_session ON snapshots (session_id, at);
