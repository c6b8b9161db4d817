-- Teams: one bot, many on-call teams. Every row that belongs to a team says which; rows written
-- before teams existed belong to the implicit team `default`, so an old database keeps working.
ALTER TABLE attacks ADD COLUMN team TEXT NOT NULL DEFAULT 'default';
CREATE INDEX attacks_team ON attacks (team, created_at);
ALTER TABLE ticks ADD COLUMN team TEXT NOT NULL DEFAULT 'default';
CREATE INDEX ticks_team ON ticks (team, at);
ALTER TABLE health_checks ADD COLUMN team TEXT NOT NULL DEFAULT 'default';
CREATE INDEX health_checks_team ON health_checks (team, at);
-- NULL: a command not scoped to one team (e.g. `history` over every team, or "which team?").
ALTER TABLE audit ADD COLUMN team TEXT;

-- The halt latch and the cooldown, one row per team (was one row for the whole bot).
CREATE TABLE team_state (
  team           TEXT    PRIMARY KEY,
  halted         INTEGER NOT NULL DEFAULT 0 CHECK (halted IN (0, 1)),
  halted_by      TEXT,
  halted_at      INTEGER,
  halt_reason    TEXT,
  cooldown_until INTEGER
);
INSERT INTO team_state (team, halted, halted_by, halted_at, halt_reason, cooldown_until)
  SELECT 'default', halted, halted_by, halted_at, halt_reason, cooldown_until FROM bot_state WHERE id = 1;
DROP TABLE bot_state;
