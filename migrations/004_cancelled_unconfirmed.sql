-- Two facts the attack lifecycle needs to tell endings as they are:
--  * state 'cancelled': a stop (or shutdown) ended it before it touched the host;
--  * unconfirmed = 1: the host could not be reached when it was aborted, so nobody has seen it end;
--    the next contact with that host (recovery at start, or the pre-flight of a later attack there)
--    checks what was left and clears the flag.
-- SQLite cannot change a CHECK constraint in place: the table is rebuilt, rows and ids kept.
CREATE TABLE attacks_new (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  attack        TEXT    NOT NULL,
  host          TEXT    NOT NULL,
  trigger_kind  TEXT    NOT NULL CHECK (trigger_kind IN ('schedule', 'user')),
  trigger_user  TEXT,
  dry_run       INTEGER NOT NULL CHECK (dry_run IN (0, 1)),
  state         TEXT    NOT NULL CHECK (state IN ('pending', 'running', 'aborting', 'completed', 'reverted', 'failed', 'cancelled', 'orphaned')),
  created_at    INTEGER NOT NULL,
  started_at    INTEGER,
  ended_at      INTEGER,
  deadline_at   INTEGER NOT NULL,
  duration_ms   INTEGER NOT NULL,
  exit_code     INTEGER,
  signal        TEXT,
  output_tail   TEXT    NOT NULL DEFAULT '',
  reason        TEXT,
  rollback_ok   INTEGER,
  remote_pgid   INTEGER,
  unconfirmed   INTEGER NOT NULL DEFAULT 0 CHECK (unconfirmed IN (0, 1))
);
INSERT INTO attacks_new (id, attack, host, trigger_kind, trigger_user, dry_run, state, created_at, started_at, ended_at,
                         deadline_at, duration_ms, exit_code, signal, output_tail, reason, rollback_ok, remote_pgid)
  SELECT id, attack, host, trigger_kind, trigger_user, dry_run, state, created_at, started_at, ended_at,
         deadline_at, duration_ms, exit_code, signal, output_tail, reason, rollback_ok, remote_pgid FROM attacks;
-- Keep the id counter where it was (ids are never reused: hosts know attacks by `<instance>-<id>`).
DELETE FROM sqlite_sequence WHERE name = 'attacks_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'attacks_new', seq FROM sqlite_sequence WHERE name = 'attacks';
DROP TABLE attacks;
ALTER TABLE attacks_new RENAME TO attacks;
CREATE INDEX attacks_created ON attacks (created_at);
CREATE INDEX attacks_host ON attacks (host, created_at);
CREATE INDEX attacks_attack ON attacks (attack, created_at);
CREATE INDEX attacks_unfinished ON attacks (state) WHERE state IN ('pending', 'running', 'aborting');
CREATE INDEX attacks_host_state ON attacks (host, state, created_at);
CREATE INDEX attacks_unconfirmed ON attacks (host) WHERE unconfirmed = 1;
