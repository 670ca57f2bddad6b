-- How many records of each model of a connection are not deleted, kept by the records store in the transaction of
-- every change (dev.graphgate.server.records.RecordRepository, the one writer of records and of record_counts).
-- GET /sync/status and the dashboard report it; counting it from records read every live row of the model (H2 checks
-- deleted_at in the row itself), a whole table scan per status poll that also pushed a running sync's pages out of
-- H2's cache (benchmarks/README.md, the users sync).
CREATE TABLE record_counts (
    connection_id BIGINT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    model         VARCHAR(255) NOT NULL,
    live          BIGINT NOT NULL,
    PRIMARY KEY (connection_id, model)
);
INSERT INTO record_counts (connection_id, model, live)
    SELECT connection_id, model, COUNT(*) FROM records WHERE deleted_at IS NULL GROUP BY connection_id, model;
