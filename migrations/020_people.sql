-- People's display names as Slack last told them (users.info), by user id (issue 26): the console,
-- the web archive and exports show names, not ids, also when Slack is not reachable from them.
CREATE TABLE people (
  id      TEXT    PRIMARY KEY,
  name    TEXT    NOT NULL,
  seen_at INTEGER NOT NULL
);
