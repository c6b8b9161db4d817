-- The steady-state verdict of every live attack: did the system survive?
ALTER TABLE attacks ADD COLUMN verdict TEXT CHECK (verdict IN ('held', 'recovered', 'not-recovered', 'unknown'));
ALTER TABLE attacks ADD COLUMN ttd_ms INTEGER;
ALTER TABLE attacks ADD COLUMN ttr_ms INTEGER;
ALTER TABLE attacks ADD COLUMN verdict_detail TEXT;
CREATE INDEX attacks_verdict ON attacks (verdict, created_at) WHERE verdict IS NOT NULL;

-- Probe samples of the attack's steady state: before it starts, during the fault, and after it
-- until the steady state holds again or the recovery window ends.
CREATE TABLE probe_samples (
  attack_id  INTEGER NOT NULL,
  at         INTEGER NOT NULL,
  phase      TEXT    NOT NULL CHECK (phase IN ('before', 'during', 'after')),
  healthy    INTEGER NOT NULL CHECK (healthy IN (0, 1)),
  results    TEXT    NOT NULL
);
CREATE INDEX probe_samples_attack ON probe_samples (attack_id, at);
