-- An Idempotency-Key stands for one request. The hash of what it was first sent with (level, kind,
-- files) lets a replay of another request be refused instead of answered with the first submission.
-- jsonb's text form is canonical (keys sorted, duplicates dropped), so the order of the files does
-- not matter. SubmissionStore computes new hashes with this same expression.
ALTER TABLE submissions ADD COLUMN request_hash bytea;

UPDATE submissions
SET request_hash = sha256(convert_to(level_position::text || ' ' || kind || ' ' || files::text, 'UTF8'))
WHERE idempotency_key IS NOT NULL;
