-- Authoring through the API: packs carry assessment templates, an uploaded pack is validated by a
-- grader as queued work (like a submission: leased, so it survives restarts), a passing one is
-- published as new versions, and submissions of one version can be rejudged against another.

ALTER TABLE packs
    -- Assessment templates from pack.yaml, shaped like the body of POST /api/admin/assessments plus id and description.
    ADD COLUMN templates jsonb NOT NULL DEFAULT '[]',
    -- Who published the pack's latest import through the API, and its validation (null when imported from disk).
    ADD COLUMN published_by text,
    ADD COLUMN validation_id uuid;

CREATE TABLE pack_validations (
    id               uuid PRIMARY KEY,
    pack_id          text NOT NULL,
    pack_title       text NOT NULL,
    -- The uploaded pack's files by relative path, already checked against the pack layout.
    files            jsonb NOT NULL,
    mutants          boolean NOT NULL,
    status           text NOT NULL CHECK (status IN ('queued', 'running', 'done')),
    attempts         int NOT NULL DEFAULT 0,
    lease_owner      text,
    lease_expires_at timestamptz,
    uploaded_by      text NOT NULL,
    uploaded_at      timestamptz NOT NULL,
    started_at       timestamptz,
    finished_at      timestamptz,
    passed           boolean,
    -- The validation report (BugHunt.Grader.Packs.PackReport), or why validation could not run.
    report           jsonb,
    error            text,
    published_by     text,
    published_at     timestamptz,
    CHECK ((status = 'done') = (passed IS NOT NULL))
);
CREATE INDEX pack_validations_pending ON pack_validations (uploaded_at) WHERE status <> 'done';
CREATE INDEX pack_validations_by_pack ON pack_validations (pack_id, uploaded_at DESC);

-- Progress as the grader reports it, in order; the API streams these.
CREATE TABLE pack_validation_events (
    validation_id uuid NOT NULL REFERENCES pack_validations (id),
    seq           int NOT NULL,
    at            timestamptz NOT NULL,
    message       text NOT NULL,
    PRIMARY KEY (validation_id, seq)
);

ALTER TABLE challenge_versions ADD COLUMN validation_id uuid REFERENCES pack_validations (id);

-- A rejudge grades the submissions of one version again, against another version of the same
-- challenge. Each regrade is a submission of kind 'rejudge' (graded like any other, after the
-- candidates' work), which changes nothing until a recruiter applies the rejudge.
CREATE TABLE rejudges (
    id              uuid PRIMARY KEY,
    from_version_id uuid NOT NULL REFERENCES challenge_versions (id),
    to_version_id   uuid NOT NULL REFERENCES challenge_versions (id),
    requested_by    text NOT NULL,
    requested_at    timestamptz NOT NULL,
    state           text NOT NULL CHECK (state IN ('pending', 'applied', 'discarded')),
    decided_by      text,
    decided_at      timestamptz,
    CHECK ((state = 'pending') = (decided_by IS NULL))
);

ALTER TABLE submissions DROP CONSTRAINT submissions_kind_check;
ALTER TABLE submissions
    ADD CONSTRAINT submissions_kind_check CHECK (kind IN ('submit', 'run', 'rejudge')),
    ADD COLUMN rejudge_id uuid REFERENCES rejudges (id),
    ADD COLUMN rejudge_of uuid REFERENCES submissions (id),
    ADD CONSTRAINT submissions_rejudge_check CHECK ((kind = 'rejudge') = (rejudge_id IS NOT NULL AND rejudge_of IS NOT NULL));
CREATE INDEX submissions_by_rejudge ON submissions (rejudge_id) WHERE rejudge_id IS NOT NULL;

-- An applied rejudge replaces a submission's verdict and score; the ones it had are kept here, so
-- the candidate's history shows both.
CREATE TABLE submission_rejudgements (
    submission_id    uuid NOT NULL REFERENCES submissions (id),
    rejudge_id       uuid NOT NULL REFERENCES rejudges (id),
    previous_verdict text NOT NULL,
    previous_score   double precision NOT NULL,
    previous_result  jsonb NOT NULL,
    previous_version uuid NOT NULL REFERENCES challenge_versions (id),
    new_verdict      text NOT NULL,
    new_score        double precision NOT NULL,
    applied_by       text NOT NULL,
    applied_at       timestamptz NOT NULL,
    PRIMARY KEY (submission_id, rejudge_id)
);
