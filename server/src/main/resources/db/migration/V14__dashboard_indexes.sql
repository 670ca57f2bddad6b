-- What the dashboard's pages ask of the database at 10,000 connections and 1,000,000 request-log rows
-- (docs/dashboard.md, "At scale"; benchmarks/README.md, the dashboard's page loads): every list is a keyset page,
-- newest first by id, and every filter has an index whose last column is that id, so a page reads its rows and stops.
-- ${pattern_ops} is PostgreSQL's varchar_pattern_ops (empty on H2): an index a prefix LIKE 'x%' can use whatever the
-- database's collation.

-- Webhook events name the connection they are about (DeliveryRepository writes both columns from the payload's
-- providerConfigKey and connectionId), so a connection's deliveries are an index lookup, not a LIKE on every body.
-- Events written before this migration have neither and do not appear on a connection's page.
ALTER TABLE webhook_events ADD COLUMN integration_key VARCHAR(255);
ALTER TABLE webhook_events ADD COLUMN connection_id VARCHAR(255);
CREATE INDEX webhook_events_connection ON webhook_events (connection_id, integration_key, id);
-- PostgreSQL does not index a foreign key's column by itself; H2 does (this one is then a second, harmless index).
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_row_id, id);

-- The request log: by connection alone (the dashboard's filter names no integration), by status, by path prefix.
-- By integration and connection, and by time, V2's indexes serve.
CREATE INDEX proxy_log_connection_only ON proxy_log (connection_id, id);
CREATE INDEX proxy_log_status ON proxy_log (status, id);
CREATE INDEX proxy_log_path ON proxy_log (path ${pattern_ops}, id);

-- Connections: a prefix of the connection id, and the connections of one integration, newest first.
CREATE INDEX connections_connection_id ON connections (connection_id ${pattern_ops}, id);
CREATE INDEX connections_integration ON connections (integration_id, id);
