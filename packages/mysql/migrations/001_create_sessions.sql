-- hallpass sessions table, version 1: @hallpass/mysql creates exactly this with
-- ensureSchema: true. Apply it with your own migration tool instead if you prefer; for
-- another table name, sessionTableSql({ table, database }) prints the same DDL.
-- Written for MySQL 8.0+ and MariaDB 10.5+.

CREATE TABLE IF NOT EXISTS `hallpass_sessions` (
  id           VARBINARY(128) NOT NULL,
  data         MEDIUMBLOB     NOT NULL,
  expires_at   BIGINT         NOT NULL,
  user_id      VARCHAR(256) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  created_at   BIGINT         NOT NULL,
  last_seen_at BIGINT         NOT NULL,
  version      BIGINT         NOT NULL DEFAULT 1,
  PRIMARY KEY (id),
  KEY `hallpass_sessions_expires_at_idx` (expires_at),
  KEY `hallpass_sessions_user_id_idx` (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
