-- Packs and the immutable versions of their challenges. A version is identified by the hash of its
-- content: re-importing an unchanged challenge is a no-op, a changed one gets a new version, and
-- sessions keep the version they started with.
CREATE TABLE packs (
    id          text PRIMARY KEY,
    title       text NOT NULL,
    imported_at timestamptz NOT NULL
);

CREATE TABLE challenge_versions (
    id           uuid PRIMARY KEY,
    pack_id      text NOT NULL REFERENCES packs (id),
    challenge_id text NOT NULL,
    content_hash text NOT NULL,
    title        text NOT NULL,
    level        int NOT NULL,
    -- The whole challenge, hidden parts included. Never returned to a candidate as is.
    definition   jsonb NOT NULL,
    imported_at  timestamptz NOT NULL,
    UNIQUE (pack_id, challenge_id, content_hash)
);

-- Observations of the reference solution, computed once per challenge version in a sandbox.
CREATE TABLE reference_runs (
    challenge_version_id uuid PRIMARY KEY REFERENCES challenge_versions (id),
    probes               jsonb NOT NULL,
    elapsed_ms           double precision NOT NULL,
    created_at           timestamptz NOT NULL
);

CREATE TABLE invites (
    token                text PRIMARY KEY,
    challenge_version_id uuid NOT NULL REFERENCES challenge_versions (id),
    reusable             boolean NOT NULL,
    created_at           timestamptz NOT NULL,
    used_at              timestamptz
);

CREATE TABLE sessions (
    id                   uuid PRIMARY KEY,
    -- SHA-256 of the bearer token; the token itself is only ever known to the candidate.
    token_hash           bytea NOT NULL UNIQUE,
    invite_token         text NOT NULL REFERENCES invites (token),
    challenge_version_id uuid NOT NULL REFERENCES challenge_versions (id),
    created_at           timestamptz NOT NULL
);

-- The durable queue. A row is claimed with FOR UPDATE SKIP LOCKED and a lease; an expired lease
-- makes it claimable again; only the lease holder can record the one final verdict.
CREATE TABLE submissions (
    id                   uuid PRIMARY KEY,
    session_id           uuid NOT NULL REFERENCES sessions (id),
    challenge_version_id uuid NOT NULL REFERENCES challenge_versions (id),
    kind                 text NOT NULL CHECK (kind IN ('submit', 'run')),
    files                jsonb NOT NULL,
    status               text NOT NULL CHECK (status IN ('queued', 'running', 'done')),
    attempts             int NOT NULL DEFAULT 0,
    lease_owner          text,
    lease_expires_at     timestamptz,
    created_at           timestamptz NOT NULL,
    started_at           timestamptz,
    finished_at          timestamptz,
    verdict              text,
    score                double precision,
    result               jsonb,
    CHECK ((status = 'done') = (verdict IS NOT NULL))
);

CREATE INDEX submissions_pending ON submissions (created_at) WHERE status <> 'done';
CREATE INDEX submissions_by_session ON submissions (session_id, created_at);
