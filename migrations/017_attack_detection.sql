-- Did monitoring notice the attack? (issue 25, src/domain/detection.ts): `detected`, `not-detected`
-- or `unknown`, and its data as JSON (how long after the fault's start, which alert, which source;
-- or why it is unknown). NULL when nobody looked (no detection sources, a dry run, older rows).
ALTER TABLE attacks ADD COLUMN detection TEXT;
ALTER TABLE attacks ADD COLUMN detection_data TEXT;
