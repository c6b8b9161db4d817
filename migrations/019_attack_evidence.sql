-- The service's own metrics around each live attack (issue 25, src/domain/evidence.ts): kept, so the
-- archive still draws them after Prometheus has forgotten them. One row per attack and series.
CREATE TABLE attack_evidence (
  attack_id INTEGER NOT NULL,
  idx       INTEGER NOT NULL,
  title     TEXT    NOT NULL,
  unit      TEXT    NOT NULL DEFAULT '',
  points    TEXT    NOT NULL,
  PRIMARY KEY (attack_id, idx)
);
