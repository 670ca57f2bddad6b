-- notification_inbox's id hands out its values in blocks on H2. An H2 sequence writes its state with a commit of its
-- own each time its cache (32 by default) runs out, and with WRITE_DELAY=0 every commit stores the database's changed
-- pages to the file: a POST of 100 notifications paid three or four such stores inside its INSERT, most of its time
-- to the 202 (JFR: Sequence.getNext under Insert; benchmarks/README.md, change notifications).
-- The processor claims the oldest first (ORDER BY id): on H2 the cache is one for the whole database, so ids still come
-- in order (a crash leaves a gap); on PostgreSQL, where taking a value costs no commit, each pooled session would hold
-- a block of its own and ids would come out of order, so it stays 1 there (Database sets the placeholder).
ALTER TABLE notification_inbox ALTER COLUMN id SET CACHE ${ordered_id_cache};
