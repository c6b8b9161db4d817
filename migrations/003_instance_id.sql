-- A random id of this database: remote markers are `<instance>-<attack id>`, so two databases (or a
-- reset one) never mistake each other's attacks on a shared host.
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('instance', lower(hex(randomblob(4))));
