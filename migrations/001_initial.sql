-- Attacks: written in state 'pending' before anything is dispatched.
CREATE TABLE attacks (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  attack        TEXT    NOT NULL,
  host          TEXT    NOT NULL,
  trigger_kind  TEXT    NOT NULL CHECK (trigger_kind IN ('schedule', 'user')),
  trigger_user  TEXT,
  dry_run       INTEGER NOT NULL CHECK (dry_run IN (0, 1)),
  state         TEXT    NOT NULL CHECK (state IN ('pending', 'running', 'aborting', 'completed', 'reverted', 'failed', 'orphaned')),
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
  remote_pgid   INTEGER
);
CREATE INDEX attacks_created ON attacks (created_at);
CREATE INDEX attacks_host ON attacks (host, created_at);
CREATE INDEX attacks_attack ON attacks (attack, created_at);
CREATE INDEX attacks_unfinished ON attacks (state) WHERE state IN ('pending', 'running', 'aborting');

-- One row: the halt latch and the cooldown, which survive restarts.
CREATE TABLE bot_state (
  id             INTEGER PRIMARY KEY CHECK (id = 1),
  halted         INTEGER NOT NULL DEFAULT 0,
  halted_by      TEXT,
  halted_at      INTEGER,
  halt_reason    TEXT,
  cooldown_until INTEGER
);
INSERT INTO bot_state (id, halted) VALUES (1, 0);

-- Every tick's outcome, so status and reports can say why nothing happened.
CREATE TABLE ticks (
  at         INTEGER NOT NULL,
  outcome    TEXT    NOT NULL,
  code       TEXT,
  reason     TEXT,
  attack_id  INTEGER
);
CREATE INDEX ticks_at ON ticks (at);

CREATE TABLE health_checks (
  at       INTEGER NOT NULL,
  healthy  INTEGER NOT NULL,
  results  TEXT    NOT NULL
);
CREATE INDEX health_checks_at ON health_checks (at);

-- Every command, allowed or not.
CREATE TABLE audit (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  at         INTEGER NOT NULL,
  actor      TEXT    NOT NULL,
  transport  TEXT    NOT NULL,
  command    TEXT    NOT NULL,
  text       TEXT    NOT NULL,
  outcome    TEXT    NOT NULL,
  detail     TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_at ON audit (at);
