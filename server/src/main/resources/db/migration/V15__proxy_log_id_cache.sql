-- proxy_log's id hands out its values in blocks on H2, as records' (V12) and notification_inbox's (V13) do. Each time
-- an H2 sequence's cache (32 by default) runs out it writes its state with a commit of its own, and with WRITE_DELAY=0
-- every commit stores the database's changed pages to the file: the request log writer's batch of 1,500 rows (a
-- quarter second at 6,000 calls a second) paid about 47 such stores inside its INSERT, half of the writer's CPU and a
-- fifth of the proxy's (JFR: Sequence.getNext under Insert.insertRows; benchmarks/README.md, the Graph proxy).
-- Pages of the log go by id, newest first: on H2 the cache is one for the whole database, so ids still come in order
-- (a crash leaves a gap); on PostgreSQL each pooled session would hold a block of its own and ids would come out of
-- order, so it stays 1 there, where taking a value costs no commit (Database sets the placeholder).
ALTER TABLE proxy_log ALTER COLUMN id SET CACHE ${ordered_id_cache};
