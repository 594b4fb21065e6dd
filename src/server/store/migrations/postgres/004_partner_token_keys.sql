-- The public Ed25519 key that checks a partner key's subject tokens (src/contract/subject-token.ts).
-- Its private half is derived from the partner key, which is not stored, so only the key's
-- holder can mint tokens. Keys made before this migration have none, and cannot mint tokens.
ALTER TABLE partner_keys ADD COLUMN token_key TEXT;
