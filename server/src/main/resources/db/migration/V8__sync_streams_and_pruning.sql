-- A sync that reads several delta streams (one per mailbox folder, one calendar view per mailbox) keeps one row per
-- stream (dev.graphgate.server.sync.SyncStreamRepository, the one writer of sync_streams): the stream's own
-- checkpoint (its next link while its round is under way, its delta link between rounds), whether its round under way
-- is a full one (whose end deletes the stream's records it did not see), and the sync round in which its last round
-- ended (a run resumed after a crash skips the streams it already finished). A row goes with its sync's state.
CREATE TABLE sync_streams (
    connection_id    BIGINT NOT NULL,
    sync_name        VARCHAR(100) NOT NULL,
    stream_key       VARCHAR(300) NOT NULL,
    checkpoint       VARCHAR(100000),
    checkpoint_kind  VARCHAR(10),
    round_full       BOOLEAN NOT NULL,
    done_round       BIGINT NOT NULL,
    PRIMARY KEY (connection_id, sync_name, stream_key),
    CONSTRAINT sync_streams_state FOREIGN KEY (connection_id, sync_name) REFERENCES sync_states (connection_id, sync_name) ON DELETE CASCADE
);

-- PATCH /records/prune empties a record's payload and keeps its metadata: pruned_at says when.
ALTER TABLE records ADD COLUMN pruned_at TIMESTAMP WITH TIME ZONE;

-- A mailbox sync's record ids are {mailbox}/{folder}/{Graph's id}: a folder id and a message id are each up to about
-- 150 characters in Graph, so 256 no longer suffices.
ALTER TABLE records ALTER COLUMN external_id SET DATA TYPE VARCHAR(512);
