-- What the people on call said after an attack (issue 25, src/domain/answers.ts): were they paged,
-- did the runbook cover it, a note. One row per attack and person: their latest answer counts.
CREATE TABLE attack_answers (
  attack_id INTEGER NOT NULL,
  person    TEXT    NOT NULL,
  at        INTEGER NOT NULL,
  paged     TEXT,
  runbook   TEXT,
  note      TEXT,
  PRIMARY KEY (attack_id, person)
);
