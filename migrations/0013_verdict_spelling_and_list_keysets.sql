-- Verdicts are spelled snake_case (wrong_answer), like every other enum value the API, its exports
-- and the stored JSON speak; the verdict columns held the C# names (WrongAnswer). Readers accept
-- both spellings, so a grader of the previous release finishing a submission meanwhile is harmless.
UPDATE submissions SET verdict = lower(regexp_replace(verdict, '([a-z])([A-Z])', '\1_\2', 'g'))
WHERE verdict ~ '[A-Z]';
UPDATE submission_rejudgements
SET previous_verdict = lower(regexp_replace(previous_verdict, '([a-z])([A-Z])', '\1_\2', 'g')),
    new_verdict = lower(regexp_replace(new_verdict, '([a-z])([A-Z])', '\1_\2', 'g'))
WHERE previous_verdict ~ '[A-Z]' OR new_verdict ~ '[A-Z]';

-- Lists page by keyset, (sort value, id) after the last row seen, never by OFFSET: each list's
-- order has an index ending in the id, so a page is one index range however deep it is.
DROP INDEX submissions_by_session;
CREATE INDEX submissions_by_session ON submissions (session_id, created_at, id);
DROP INDEX sessions_by_assessment;
CREATE INDEX sessions_by_assessment ON sessions (assessment_id, created_at, id);
DROP INDEX pack_validations_by_pack;
CREATE INDEX pack_validations_by_pack ON pack_validations (pack_id, uploaded_at, id);
CREATE INDEX pack_validations_by_upload ON pack_validations (uploaded_at, id);
CREATE INDEX assessments_by_creation ON assessments (created_at, id);
CREATE INDEX rejudges_by_request ON rejudges (requested_at, id);
