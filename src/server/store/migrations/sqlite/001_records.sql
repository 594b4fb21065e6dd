-- The evidence: one row per record, in chain order. `body` is the record's canonical JSON
-- without its hash (exactly what was hashed); the other columns are copies for lookups.
CREATE TABLE records (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  subject_hash TEXT NOT NULL,
  server_time TEXT NOT NULL,
  body TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;

-- Records by subject are found through subjects.sqlite, an index kept beside this file by the
-- maintainer thread (see sqlite-subjects.ts), so that commits never write to a random place.

-- Append-only: a change or a deletion is refused here, and would break the chain anyway.
CREATE TRIGGER records_no_update BEFORE UPDATE ON records
BEGIN
  SELECT RAISE(ABORT, 'records are append-only');
END;

CREATE TRIGGER records_no_delete BEFORE DELETE ON records
BEGIN
  SELECT RAISE(ABORT, 'records are append-only');
END;
