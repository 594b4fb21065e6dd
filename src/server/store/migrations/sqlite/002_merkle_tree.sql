-- The Merkle tree over the records (RFC 9162; see src/server/proof/merkle-tree.ts): per record,
-- the hashes of the perfect subtrees its leaf completes (levels 0 … trailing zero bits of seq,
-- 32 bytes each), written in the record's own commit. Derived data: `assent verify
-- --checkpoint` recomputes roots from the records, never from here.
CREATE TABLE merkle_nodes (
  seq INTEGER PRIMARY KEY,
  hashes BLOB NOT NULL
) STRICT;

-- Signed checkpoints (C2SP tlog-checkpoint notes), one per tree size.
CREATE TABLE checkpoints (
  tree_size INTEGER PRIMARY KEY,
  root BLOB NOT NULL,
  signed_at TEXT NOT NULL,
  note TEXT NOT NULL
) STRICT;

-- Public halves of every key that signed here (a JWK each): the JWKS the endpoint serves.
CREATE TABLE signing_keys (
  kid TEXT PRIMARY KEY,
  jwk TEXT NOT NULL,
  added_at TEXT NOT NULL
) STRICT;
