-- Game days: planned, announced drills. Their notices and approvals survive a restart.
--
-- An attack a game day started keeps trigger_kind 'schedule' (the CHECK of 001 allows only
-- 'schedule' and 'user', and changing it means rebuilding the attacks table) and names the game
-- day here; the code reads such a row as the trigger { kind: 'game-day', name }.
ALTER TABLE attacks ADD COLUMN trigger_name TEXT;

-- One row per occurrence of a team's game day: `announced` once its notice is posted, then
-- `skipped` (by an admin, or at the start, with the reason) or `started` (detail: the attack id).
CREATE TABLE game_days (
  team         TEXT    NOT NULL,
  name         TEXT    NOT NULL,
  occurs_at    INTEGER NOT NULL,
  state        TEXT    NOT NULL CHECK (state IN ('announced', 'skipped', 'started')),
  announced_at INTEGER NOT NULL,
  detail       TEXT,
  PRIMARY KEY (team, name, occurs_at)
);

-- Each admin approves an occurrence at most once (the primary key).
CREATE TABLE game_day_approvals (
  team        TEXT    NOT NULL,
  name        TEXT    NOT NULL,
  occurs_at   INTEGER NOT NULL,
  user        TEXT    NOT NULL,
  approved_at INTEGER NOT NULL,
  PRIMARY KEY (team, name, occurs_at, user)
);
