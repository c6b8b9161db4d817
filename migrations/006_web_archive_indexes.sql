-- The web archive's day cards count a day's attacks by outcome: a covering index answers each day
-- from the index alone (no table lookups), so the index page stays quick over a million rows.
CREATE INDEX attacks_day_card ON attacks (created_at, state, verdict, rollback_ok, unconfirmed, dry_run);
-- Whether the bot ran on a day, and whether it sat halted: ticks by time with their skip code.
CREATE INDEX ticks_at_code ON ticks (at, code);
