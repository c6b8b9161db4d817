-- Which bot holds this database (issue 22, case 1): every name of the file (a hard link, a symlink,
-- a bind mount) and every copy of it carries the row, and the bot that holds it beats every 5 s.
CREATE TABLE instance_claim (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  holder TEXT NOT NULL,
  pid INTEGER NOT NULL,
  hostname TEXT NOT NULL,
  path TEXT NOT NULL,
  beat_at INTEGER NOT NULL
);
