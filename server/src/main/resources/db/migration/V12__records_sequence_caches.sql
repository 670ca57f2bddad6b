-- The records' two sequences (the id column's identity and records_cursor) hand out their values in blocks. On H2 a
-- sequence writes its state with a commit of its own each time its cache runs out, and with WRITE_DELAY=0 every commit
-- stores the database's changed pages to the file: at H2's default cache of 32, a page of 100 new records cost six
-- extra stores beside its own commit, most of a users sync's CPU.
-- The id is a surrogate key: blocks (and the gaps a crash leaves) do not matter on either database.
ALTER TABLE records ALTER COLUMN id SET CACHE 1000;
-- records_cursor orders GET /records, so its values must be committed in the order they were taken for one model of
-- one connection. H2's cache is one for the whole database, so values still come in order (a crash only leaves a
-- gap): ${ordered_id_cache} there. On PostgreSQL each session would hold a block of its own, and values taken
-- through two pooled connections could come out of order: 1 there (Database sets the placeholder per database).
ALTER SEQUENCE records_cursor CACHE ${ordered_id_cache};
