-- Partner API keys (src/server/partners/partner-keys.ts): only the SHA-256 of each key is kept,
-- so a copy of the database does not hand out working keys. Revoked keys stay, for the record.
CREATE TABLE partner_keys (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  origins TEXT NOT NULL,
  documents TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT
) STRICT;
