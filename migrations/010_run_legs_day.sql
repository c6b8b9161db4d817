-- The web archive counts a run over several hosts once: its other hosts' rows (run_id set, see 009)
-- are found by day on this small partial index and taken off the day's counts.
CREATE INDEX attacks_legs_day ON attacks (created_at) WHERE run_id IS NOT NULL;
