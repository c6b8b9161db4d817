-- The web archive's day cards count a day's attacks by outcome. Each count is a plain range count on
-- an index (no expression per row), so 30 cards over a million rows stay quick.
CREATE INDEX attacks_state_day ON attacks (state, created_at);
CREATE INDEX attacks_rollback_failed ON attacks (created_at) WHERE rollback_ok = 0;
CREATE INDEX attacks_unconfirmed_day ON attacks (created_at) WHERE unconfirmed = 1;
CREATE INDEX attacks_dry_day ON attacks (created_at) WHERE dry_run = 1;
-- Minutes the bot sat halted (ticks skipped as halted); all ticks are counted on ticks_at.
CREATE INDEX ticks_halted ON ticks (at) WHERE code = 'halted';
