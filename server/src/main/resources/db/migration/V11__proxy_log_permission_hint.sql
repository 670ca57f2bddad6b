-- The sentence the proxy adds to a Graph 403 (X-Graphgate-Permission-Hint): which application permissions would
-- allow the call and whether the connection's token carries any. Empty for every other answer.
ALTER TABLE proxy_log ADD COLUMN permission_hint VARCHAR(1000);
