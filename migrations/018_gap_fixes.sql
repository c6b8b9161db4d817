-- The gaps an attack found (nobody paged, a runbook that fell short, a monitoring gap) stay open until
-- an admin says `fixed #ID note` (issue 25): who, when, and what was done.
CREATE TABLE gap_fixes (
  attack_id INTEGER PRIMARY KEY,
  person    TEXT    NOT NULL,
  at        INTEGER NOT NULL,
  note      TEXT    NOT NULL DEFAULT ''
);
