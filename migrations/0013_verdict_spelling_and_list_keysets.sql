-- Verdicts are spelled snake_case (wrong_answer), like every other enum value the API, its exports
-- and the stored JSON speak; the verdict columns held the C# names (WrongAnswer). Readers accept
-- both spellings, so a grader of the previous release finishing a submission meanwhile is harmless.
UPDATE submissions SET verdict = lower(regexp_replace(verdict, '([a-z])([A-Z])', '\1_\2', 'g'))
WHERE verdict ~ '[A-Z]';
UPDATE submission_rejudgements
SET previous_verdict = lower(regexp_replace(previous_verdict, '([a-z])([A-Z])', '\1_\2', 'g')),
    new_verdict = lower(regexp_replace(new_verdict, '([a-z])([A-Z])', '\1_\2', 'g'))
WHERE previous_verdict ~ '[A-Z]' OR new_verdict ~ '[A-Z]';
