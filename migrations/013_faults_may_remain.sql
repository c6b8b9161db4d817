-- A host where an attack's fault may still be in place (its rollback failed, or its end was never
-- confirmed): the team stays halted until an admin says `resolve #ID` (issue 22).
CREATE TABLE faults (
  attack_id TEXT PRIMARY KEY,
  team TEXT NOT NULL,
  attack TEXT NOT NULL,
  host TEXT NOT NULL,
  detail TEXT NOT NULL,
  manual_rollback TEXT,
  opened_at INTEGER NOT NULL,
  confirmed_at INTEGER,
  resolved_at INTEGER,
  resolved_by TEXT,
  note TEXT
);
CREATE INDEX faults_open ON faults (team, resolved_at);
