-- hallpass sessions table, version 1: @hallpass/postgres creates exactly this with
-- ensureSchema: true. Apply it with your own migration tool instead if you prefer; for
-- another schema or table name, sessionTableSql({ schema, table }) prints the same DDL.

CREATE TABLE IF NOT EXISTS "public"."hallpass_sessions" (
  id           text COLLATE "C" PRIMARY KEY,
  data         bytea       NOT NULL,
  expires_at   timestamptz NOT NULL,
  user_id      text,
  created_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  version      bigint      NOT NULL DEFAULT 1
);

CREATE INDEX IF NOT EXISTS "hallpass_sessions_expires_at_idx" ON "public"."hallpass_sessions" (expires_at);

CREATE INDEX IF NOT EXISTS "hallpass_sessions_user_id_idx" ON "public"."hallpass_sessions" (user_id) WHERE user_id IS NOT NULL;
