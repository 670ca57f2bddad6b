-- Every write to a connection row increments row_version (dev.graphgate.server.connection.ConnectionRepository is the
-- table's one writer). Instances replace their cached copy of a connection only with a newer version, so a copy read
-- in the background after another instance's change can never overwrite a newer one this instance just wrote.
ALTER TABLE connections ADD COLUMN row_version BIGINT DEFAULT 0 NOT NULL;
