-- Staff accounts with one role each, and the audit log of what staff did.
-- A key is shown once when it is made; only its SHA-256 (hex) is kept, so this table never holds a key.
CREATE TABLE staff_users (
    id           bigserial PRIMARY KEY,
    name         text NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$'),
    role         text NOT NULL CHECK (role IN ('admin', 'author', 'recruiter', 'proctor')),
    key_hash     text NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
    created_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    last_used_at timestamptz
);
-- Names are unique whatever their case: "Ada" and "ada" would be the same person in the audit log.
-- A revoked user keeps the name, so past audit entries keep naming one person.
CREATE UNIQUE INDEX staff_users_by_name ON staff_users (lower(name));

CREATE TABLE audit_log (
    id         bigserial PRIMARY KEY,
    at         timestamptz NOT NULL,
    -- The actor's name as it was (staff users, the bootstrap key, the CLI), not a reference: the
    -- bootstrap admin and the CLI have no row, and an entry must outlive any change to its user.
    actor      text NOT NULL,
    actor_role text NOT NULL CHECK (actor_role IN ('admin', 'author', 'recruiter', 'proctor')),
    action     text NOT NULL CHECK (action ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$'),
    target     text NOT NULL,
    detail     jsonb
);
CREATE INDEX audit_log_by_actor ON audit_log (actor, id DESC);
CREATE INDEX audit_log_by_action ON audit_log (action, id DESC);
CREATE INDEX audit_log_by_target ON audit_log (target, id DESC);

-- The log is append-only for the application: an entry cannot be edited or removed through it.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP;
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
