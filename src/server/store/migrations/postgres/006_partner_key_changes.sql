-- A counter that moves with every change to partner_keys, whoever makes it (`assent keys` in
-- another process, or SQL by hand): endpoints keep the keys in memory and read this one row
-- before each partner request (src/server/partners/cached-partner-keys.ts). It replaces a
-- digest of every key row, whose cost grew with the number of keys on every request.
CREATE TABLE partner_key_changes (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version BIGINT NOT NULL
);
INSERT INTO partner_key_changes (id, version) VALUES (1, 0);

CREATE FUNCTION partner_keys_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE partner_key_changes SET version = version + 1 WHERE id = 1;
  RETURN NULL;
END;
$$;

CREATE TRIGGER partner_keys_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON partner_keys
  FOR EACH STATEMENT EXECUTE FUNCTION partner_keys_changed();
