-- The probes of a challenge version compiled against its reference, once, by whichever grader
-- needs them first, and kept beside the reference observations: every grader (and a restarted one)
-- ships these bytes to its sandboxes instead of compiling the probes again. Compiled code depends on
-- the runner's compiler, so a build is kept per sandbox image (its content id).
CREATE TABLE probe_builds (
    content_hash text NOT NULL,
    runner_image text NOT NULL,
    probes       jsonb NOT NULL,
    elapsed_ms   double precision NOT NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (content_hash, runner_image)
);
