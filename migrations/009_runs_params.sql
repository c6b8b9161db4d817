-- Runs over several hosts and parameter values. A run that hits several hosts has one row per host:
-- the first host's row is the run (run_id NULL, run_hosts lists every host), the others point to it
-- with run_id. A run on one host is one row as before. `params` holds the values the attack ran
-- with (JSON object: defaults and run-once overrides); NULL for attacks without parameters and
-- for rows written before parameters were recorded.
ALTER TABLE attacks ADD COLUMN run_id INTEGER;
ALTER TABLE attacks ADD COLUMN run_hosts TEXT;
ALTER TABLE attacks ADD COLUMN params TEXT;
CREATE INDEX attacks_run ON attacks (run_id) WHERE run_id IS NOT NULL;
