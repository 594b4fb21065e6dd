-- The evidence: one row per record, in chain order. `body` is the record's canonical JSON
-- without its hash (exactly what was hashed, kept as text so no byte changes); the other
-- columns are copies for lookups.
CREATE TABLE records (
  seq BIGINT PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  subject_hash TEXT NOT NULL,
  server_time TIMESTAMPTZ NOT NULL,
  body TEXT NOT NULL,
  hash TEXT NOT NULL
);

CREATE INDEX records_by_subject ON records (subject_hash, seq);

-- The end of the chain. Every append locks this row, which puts the appends of all endpoint
-- instances in one order.
CREATE TABLE chain_head (
  id SMALLINT PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);

INSERT INTO chain_head (id, seq, hash)
VALUES (1, 0, 'sha256:0000000000000000000000000000000000000000000000000000000000000000');

-- Append-only: a change or a deletion is refused here, and would break the chain anyway.
CREATE FUNCTION records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'records are append-only';
END;
$$;

CREATE TRIGGER records_no_change BEFORE UPDATE OR DELETE ON records
FOR EACH ROW EXECUTE FUNCTION records_append_only();
