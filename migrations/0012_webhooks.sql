-- Webhooks: staff subscribe a URL to events of one assessment (or of all), and BugHunt POSTs each
-- event there, signed per the Standard Webhooks specification.
CREATE TABLE webhook_subscriptions (
    id            uuid PRIMARY KEY,
    url           text NOT NULL,
    events        text[] NOT NULL CHECK (cardinality(events) > 0),
    -- NULL: every assessment's events.
    assessment_id uuid REFERENCES assessments (id),
    description   text,
    -- The signing key ("whsec_" + base64). Kept as is, not hashed: every delivery is signed with it.
    secret        text NOT NULL,
    created_by    text NOT NULL,
    created_at    timestamptz NOT NULL,
    -- A deleted subscription is disabled, not removed: its delivery log stays readable.
    disabled_at   timestamptz
);

-- The outbox. An event row is written in the transaction of the change it reports (a session
-- starting, a verdict stored, ...), so it exists exactly when the change does, and only when some
-- subscription wants it. The payload is the exact body that is signed and sent, on every attempt.
CREATE TABLE webhook_events (
    id         uuid PRIMARY KEY,
    type       text NOT NULL,
    -- Events that can happen only once per subject carry a key, so that a second writer (the
    -- deadline sweep and a candidate's late finish, say) adds nothing.
    dedupe_key text UNIQUE,
    payload    text NOT NULL,
    created_at timestamptz NOT NULL
);

-- One delivery per (event, subscription), claimed by dispatchers with FOR UPDATE SKIP LOCKED and a lease.
CREATE TABLE webhook_deliveries (
    id               uuid PRIMARY KEY,
    event_id         uuid NOT NULL REFERENCES webhook_events (id),
    subscription_id  uuid NOT NULL REFERENCES webhook_subscriptions (id),
    status           text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         int NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz,
    lease_owner      text,
    lease_expires_at timestamptz,
    last_status      int,
    last_error       text,
    created_at       timestamptz NOT NULL,
    delivered_at     timestamptz,
    UNIQUE (event_id, subscription_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_by_subscription ON webhook_deliveries (subscription_id, created_at DESC, id DESC);
CREATE INDEX webhook_subscriptions_by_created ON webhook_subscriptions (created_at DESC, id DESC);

-- Every attempt, as the delivery log shows it. The key makes an attempt number happen once.
CREATE TABLE webhook_attempts (
    delivery_id   uuid NOT NULL REFERENCES webhook_deliveries (id),
    number        int NOT NULL,
    started_at    timestamptz NOT NULL,
    duration_ms   double precision NOT NULL,
    status_code   int,
    error         text,
    response_body text,
    PRIMARY KEY (delivery_id, number)
);

-- A session's deadline passes without any request: a periodic sweep reports session.finished for
-- the deadlines that passed since it last ran. One node sweeps at a time (the row is locked).
CREATE TABLE webhook_sweep (
    id           int PRIMARY KEY CHECK (id = 1),
    swept_until  timestamptz NOT NULL
);
INSERT INTO webhook_sweep (id, swept_until) VALUES (1, now());
CREATE INDEX sessions_open_deadline ON sessions (deadline) WHERE finished_at IS NULL;
