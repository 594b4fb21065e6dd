-- One append in one statement: lock the chain head, seal the group's new records into the chain,
-- grow the Merkle tree by their leaves, move the head. Called as a single statement (its own
-- transaction), the head is held for the time the server takes to run it and flush the commit,
-- never while waiting for an endpoint's next statement (src/server/store/postgres-store.ts).
--
-- The endpoint has already decided which records are new (ids looked up before the call; an id
-- that another instance stores meanwhile fails the unique index, and the group is tried again)
-- and made each one's canonical JSON (src/server/record-json.ts recordBody) but for the three
-- members the chain decides. They are adjacent in it, so each body arrives as the text before
-- and after them ("…,"prevHash":"" and "","shown":…"), and this fills in
--   <before><prevHash>","seq":<seq>,"serverTime":"<serverTime><after>
-- Hashes are as src/server/record-hash.ts and the RFC 9162 tree (src/server/proof/merkle-tree.ts)
-- make them; `assent verify` recomputes both from the stored bodies.
CREATE FUNCTION assent_append(
  ids TEXT[],
  subject_hashes TEXT[],
  befores TEXT[],
  afters TEXT[],
  -- The new records' seqs and hashes, in the order given.
  OUT new_seqs BIGINT[],
  OUT new_hashes TEXT[],
  -- Their server time (the clock under the lock, never before the last record's).
  OUT at_time TEXT,
  -- The chain's length after the append, and its tree's frontier (32 bytes per perfect subtree, left to right).
  OUT chain_size BIGINT,
  OUT frontier BYTEA,
  -- The newest checkpoint, for deciding whether one is due.
  OUT last_checkpoint_size BIGINT,
  OUT last_checkpoint_at TIMESTAMPTZ
) LANGUAGE plpgsql AS $$
DECLARE
  head_hash TEXT;
  at TIMESTAMPTZ;
  levels INT[] := '{}';
  stack BYTEA[] := '{}';
  bodies TEXT[] := '{}';
  node_rows BYTEA[] := '{}';
  body TEXT;
  top BYTEA;
  node_row BYTEA;
  level INT;
  k INT;
BEGIN
  SELECT h.seq, h.hash INTO chain_size, head_hash FROM chain_head h WHERE h.id = 1 FOR UPDATE;
  -- Each statement below takes a new snapshot (READ COMMITTED), so it sees what the lock's last
  -- holder wrote. JavaScript's toISOString keeps milliseconds: so does the stored time.
  at := greatest(
    date_trunc('milliseconds', clock_timestamp()),
    (SELECT r.server_time FROM records r WHERE r.seq = chain_size)
  );
  at_time := to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');

  -- The frontier: per set bit k of the size, the subtree of level k stored in the row of the
  -- size with the bits below k cleared (src/server/proof/tree-proofs.ts frontierOf).
  FOR k IN REVERSE 62..0 LOOP
    IF (chain_size >> k) & 1 = 1 THEN
      SELECT substring(m.hashes FROM k * 32 + 1 FOR 32) INTO top
        FROM merkle_nodes m WHERE m.seq = (chain_size >> k) << k;
      IF top IS NULL THEN
        RAISE EXCEPTION 'the Merkle tree lacks the row of record %; restart the endpoint to rebuild it', (chain_size >> k) << k;
      END IF;
      levels := levels || k;
      stack := stack || top;
    END IF;
  END LOOP;

  new_seqs := '{}';
  new_hashes := '{}';
  FOR i IN 1 .. coalesce(cardinality(ids), 0) LOOP
    chain_size := chain_size + 1;
    body := befores[i] || head_hash || '","seq":' || chain_size || ',"serverTime":"' || at_time || afters[i];
    head_hash := 'sha256:' || encode(sha256(convert_to(body, 'UTF8')), 'hex');
    -- RFC 9162: leaf = SHA-256(0x00 || data), node = SHA-256(0x01 || left || right); the row
    -- holds the leaf and every subtree it completes.
    top := sha256(decode('00', 'hex') || decode(substr(head_hash, 8), 'hex'));
    node_row := top;
    level := 0;
    WHILE cardinality(levels) > 0 AND levels[cardinality(levels)] = level LOOP
      top := sha256(decode('01', 'hex') || stack[cardinality(stack)] || top);
      levels := levels[1 : cardinality(levels) - 1];
      stack := stack[1 : cardinality(stack) - 1];
      level := level + 1;
      node_row := node_row || top;
    END LOOP;
    levels := levels || level;
    stack := stack || top;
    new_seqs := new_seqs || chain_size;
    new_hashes := new_hashes || head_hash;
    bodies := bodies || body;
    node_rows := node_rows || node_row;
  END LOOP;

  IF cardinality(new_seqs) > 0 THEN
    INSERT INTO records (seq, id, subject_hash, server_time, body, hash)
      SELECT s, id, subject_hash, at, b, h FROM unnest(new_seqs, ids, subject_hashes, bodies, new_hashes)
        AS t(s, id, subject_hash, b, h);
    INSERT INTO merkle_nodes (seq, hashes) SELECT * FROM unnest(new_seqs, node_rows);
    UPDATE chain_head SET seq = chain_size, hash = head_hash WHERE id = 1;
  END IF;

  frontier := '';
  FOR k IN 1 .. cardinality(stack) LOOP
    frontier := frontier || stack[k];
  END LOOP;
  SELECT c.tree_size, c.signed_at INTO last_checkpoint_size, last_checkpoint_at
    FROM checkpoints c ORDER BY c.tree_size DESC LIMIT 1;
END;
$$;
