-- hallpass sessions table, version 1: @hallpass/sqlite creates exactly this at start-up
-- unless ensureSchema: false. Apply it with your own migration tool instead if you prefer;
-- for another table name, sessionTableSql(table) prints the same DDL.

CREATE TABLE IF NOT EXISTS "hallpass_sessions" (
  id           TEXT    NOT NULL PRIMARY KEY,
  data         BLOB    NOT NULL,
  expires_at   INTEGER NOT NULL,
  user_id      TEXT,
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  version      INTEGER NOT NULL DEFAULT 1
);

CREATE INDEX IF NOT EXISTS "hallpass_sessions_expires_at_idx" ON "hallpass_sessions" (expires_at);

CREATE INDEX IF NOT EXISTS "hallpass_sessions_user_id_idx" ON "hallpass_sessions" (user_id) WHERE user_id IS NOT NULL;
