-- Assessments: ordered levels over pinned challenge versions, a time window, scoring and policies.
CREATE TABLE assessments (
    id                 uuid PRIMARY KEY,
    name               text NOT NULL,
    time_limit_minutes int NOT NULL CHECK (time_limit_minutes BETWEEN 1 AND 1440),
    max_points         int NOT NULL CHECK (max_points > 0),
    pass_points        int NOT NULL CHECK (pass_points >= 0),
    hints_allowed      boolean NOT NULL,
    ai_policy          text NOT NULL,
    proctoring         jsonb NOT NULL,
    created_at         timestamptz NOT NULL
);

CREATE TABLE assessment_levels (
    assessment_id        uuid NOT NULL REFERENCES assessments (id),
    position             int NOT NULL CHECK (position >= 1),
    challenge_version_id uuid NOT NULL REFERENCES challenge_versions (id),
    points               int NOT NULL CHECK (points >= 0),
    -- Share of test weight a submission needs to pass the level; 1 means every test.
    pass_threshold       double precision NOT NULL CHECK (pass_threshold > 0 AND pass_threshold <= 1),
    PRIMARY KEY (assessment_id, position)
);

-- Invites and sessions now belong to an assessment. The walking skeleton's one-challenge invites
-- and sessions keep their challenge_version_id and have no assessment.
ALTER TABLE invites
    ALTER COLUMN challenge_version_id DROP NOT NULL,
    ADD COLUMN assessment_id uuid REFERENCES assessments (id),
    ADD COLUMN candidate text,
    ADD COLUMN expires_at timestamptz,
    ADD COLUMN extra_minutes int NOT NULL DEFAULT 0 CHECK (extra_minutes >= 0);

ALTER TABLE sessions
    ALTER COLUMN challenge_version_id DROP NOT NULL,
    ADD COLUMN assessment_id uuid REFERENCES assessments (id),
    ADD COLUMN candidate text,
    ADD COLUMN extra_minutes int NOT NULL DEFAULT 0,
    ADD COLUMN started_at timestamptz,
    -- Kept by the server: the candidate's clock is never trusted.
    ADD COLUMN deadline timestamptz,
    ADD COLUMN finished_at timestamptz;

CREATE INDEX sessions_by_assessment ON sessions (assessment_id, created_at);

CREATE TABLE session_levels (
    session_id  uuid NOT NULL REFERENCES sessions (id),
    position    int NOT NULL,
    state       text NOT NULL CHECK (state IN ('locked', 'unlocked', 'passed')),
    unlocked_at timestamptz,
    passed_at   timestamptz,
    best_score  double precision NOT NULL DEFAULT 0,
    attempts    int NOT NULL DEFAULT 0,
    -- The candidate's latest code for this level (saved draft or last run/submission).
    files       jsonb,
    PRIMARY KEY (session_id, position)
);

CREATE TABLE hint_reveals (
    session_id  uuid NOT NULL REFERENCES sessions (id),
    position    int NOT NULL,
    hint_id     text NOT NULL,
    cost_points double precision NOT NULL,
    revealed_at timestamptz NOT NULL,
    PRIMARY KEY (session_id, position, hint_id)
);

ALTER TABLE submissions
    ADD COLUMN level_position int,
    ADD COLUMN idempotency_key text;

CREATE UNIQUE INDEX submissions_idempotency ON submissions (session_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
