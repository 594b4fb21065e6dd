/**
 * The contract every record store keeps, run against SQLite and PostgreSQL alike.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fromBase64 } from '../../../src/contract/proof/bytes.ts';
import { consistencyAnswer, inclusionAnswer } from '../../../src/server/proof/proof-answers.ts';
import { GENESIS_HASH, verifyChain } from '../../../src/server/record-hash.ts';
import { IdConflictError, PAGE_SIZE, type RecordStore } from '../../../src/server/store/record-store.ts';
import {
  keyFromHex,
  pseudonymise,
  subjectHashes,
  type SubjectKeys,
} from '../../../src/server/subject-keys.ts';
import { acceptance, consent, draft, testKeys } from '../../helpers/records.ts';
import { recordHashes, testCheckpoints, TEST_ORIGIN } from '../../helpers/proof.ts';
import { verifyCheckpoint } from '../../../src/contract/proof/checkpoint.ts';
import { recordLeafData } from '../../../src/contract/proof/merkle.ts';
import { consistencyProof, inclusionProof, rootAt } from '../../../src/server/proof/tree-proofs.ts';
import type { CheckpointSettings } from '../../../src/server/store/checkpointing.ts';
import { mth, refVerifyConsistency, refVerifyInclusion } from '../proof/rfc9162-reference.ts';

export interface StoreHarness {
  /** Opens the store on a fresh, empty database. */
  create(): Promise<RecordStore>;
  /** Opens the same database again (as after a restart), with other HMAC keys if given, signing checkpoints if told how. */
  reopen(keys?: SubjectKeys, checkpoints?: CheckpointSettings): Promise<RecordStore>;
  /** Runs SQL directly against the database, bypassing the store. */
  sql(statement: string): Promise<void>;
  /** SQL that lets a test tamper with rows despite the append-only triggers. */
  disableAppendOnly: string;
  cleanup(): Promise<void>;
}

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** `options.skip` skips every test under a name that says why (no database, say). */
export function storeContract(
  name: string,
  harness: () => StoreHarness,
  options: { skip?: string } = {},
): void {
  const title = options.skip ? `${name} store (skipped: ${options.skip})` : `${name} store`;
  describe.skipIf(options.skip !== undefined)(title, () => {
    let h: StoreHarness;
    let store: RecordStore;
    beforeEach(async () => {
      h = harness();
      store = await h.create();
    });
    afterEach(async () => {
      await store.close().catch(() => {});
      await h.cleanup();
    });

    it('stores a record durably and answers with its place in the chain', async () => {
      const record = draft();
      const [outcome] = await store.append([record]);
      expect(outcome).toMatchObject({ status: 'created', receipt: { id: record.input.id, seq: 1 } });
      expect(outcome!.receipt.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
      await store.close();
      store = await h.reopen();
      const [stored] = await all(store.records());
      expect(stored).toMatchObject({
        id: record.input.id,
        seq: 1,
        prevHash: GENESIS_HASH,
        hash: outcome!.receipt.hash,
      });
      expect(stored!.subject).toEqual({ kind: 'user', ...pseudonymise(testKeys, record.input.subject.id) });
      expect(stored).toMatchObject({
        type: 'accepted',
        document: record.input.document,
        shown: record.input.shown,
        ip: record.ip,
      });
      expect(stored!.serverTime).toBe(outcome!.receipt.serverTime);
    });

    it('chains each record to the one before it', async () => {
      const receipts = [];
      for (let i = 0; i < 5; i++) receipts.push(...(await store.append([draft()])).map((o) => o.receipt));
      const records = await all(store.records());
      expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
      records.slice(1).forEach((r, i) => expect(r.prevHash).toBe(records[i]!.hash));
      expect(await verifyChain(store.links())).toEqual({
        ok: true,
        records: 5,
        lastSeq: 5,
        lastHash: receipts[4]!.hash,
      });
    });

    it('answers an identical retry with the original receipt and stores nothing new', async () => {
      const record = draft();
      const [first] = await store.append([record]);
      const [again] = await store.append([{ ...record }]);
      expect(again).toEqual({ status: 'existing', receipt: first!.receipt });
      expect(await store.count()).toBe(1);
    });

    it('refuses a different record under a taken id, storing nothing of that request', async () => {
      const original = acceptance();
      await store.append([draft(original)]);
      const other = draft(acceptance());
      const reused = draft({ ...original, type: 'declined' });
      await expect(store.append([other, reused])).rejects.toBeInstanceOf(IdConflictError);
      expect(await store.count()).toBe(1);
    });

    it('recognises an identical retry across an HMAC key rotation, and still refuses a different record', async () => {
      const record = draft(acceptance({ subject: { kind: 'user', id: 'alice' } }));
      const [first] = await store.append([record]);
      await store.close();
      const rotated: SubjectKeys = {
        current: 2,
        keys: new Map([...testKeys.keys, [2, keyFromHex('5e'.repeat(32))]]),
      };
      store = await h.reopen(rotated);
      const [again] = await store.append([{ ...record }]);
      expect(again).toEqual({ status: 'existing', receipt: first!.receipt });
      const otherSubject = draft({ ...record.input, subject: { kind: 'user', id: 'bob' } });
      await expect(store.append([otherSubject])).rejects.toBeInstanceOf(IdConflictError);
      expect(await store.count()).toBe(1);
    });

    it('never gives a record an earlier server time than the record before it', async () => {
      await store.append([draft()]);
      // As if the clock had been ahead when record 1 was stored, and was then set back.
      await h.sql(h.disableAppendOnly);
      await h.sql("UPDATE records SET server_time = '2999-01-01T00:00:00.000Z' WHERE seq = 1");
      const [second] = await store.append([draft()]);
      expect(second!.receipt.serverTime >= '2999-01-01T00:00:00.000Z').toBe(true);
    });

    it('treats one id used twice in a request as one record, or as a conflict when they differ', async () => {
      const record = draft();
      const outcomes = await store.append([record, { ...record }]);
      expect(outcomes.map((o) => o.status)).toEqual(['created', 'existing']);
      const input = acceptance();
      await expect(store.append([draft(input), draft({ ...input, type: 'declined' })])).rejects.toThrow(
        IdConflictError,
      );
      expect(await store.count()).toBe(1);
    });

    it('keeps one unbroken chain when many requests arrive at once', async () => {
      const requests = Array.from({ length: 60 }, (_, i) =>
        i % 3 === 0 ? [draft(), draft(consent())] : [draft()],
      );
      const results = await Promise.all(requests.map((records) => store.append(records)));
      const seqs = results
        .flat()
        .map((o) => o.receipt.seq)
        .sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
      expect(await verifyChain(store.links())).toMatchObject({ ok: true, records: 80 });
    });

    it('lets a conflicting request fail without failing the others committed with it', async () => {
      const taken = acceptance();
      await store.append([draft(taken)]);
      const results = await Promise.allSettled([
        store.append([draft()]),
        store.append([draft({ ...taken, subject: { kind: 'user', id: 'someone-else' } })]),
        store.append([draft()]),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(await store.count()).toBe(3);
    });

    it('finishes appends under way before it closes', async () => {
      const pending = store.append([draft()]);
      await store.close();
      await expect(pending).resolves.toHaveLength(1);
      store = await h.reopen();
      expect(await store.count()).toBe(1);
    });

    it("finds a subject's acceptances and acknowledgements of the documents asked, oldest first", async () => {
      const alice = { kind: 'user' as const, id: 'alice' };
      const agreement = acceptance({ subject: alice }).document!;
      const policy = { ...agreement, slug: 'besttrav-privacy-policy' };
      const other = { ...agreement, slug: 'another-document' };
      const drafts = [
        draft(acceptance({ subject: alice })),
        draft(acceptance({ subject: { kind: 'user', id: 'bob' } })),
        draft(acceptance({ subject: alice, type: 'declined' })),
        draft(acceptance({ subject: alice, type: 'acknowledged', document: policy })),
        draft(acceptance({ subject: alice, document: other })),
        draft(consent()),
      ];
      const receipts = [];
      for (const d of drafts) {
        const [outcome] = await store.append([d]);
        receipts.push(outcome!.receipt);
      }
      const asked = [agreement.slug, policy.slug];
      const hashes = [pseudonymise(testKeys, 'alice').hash];
      const { receipt: _, ...first } = receipts[0]!;
      const { receipt: __, ...fourth } = receipts[3]!;
      expect(await store.assentsOf(hashes, asked)).toEqual([
        { ...first, type: 'accepted', document: agreement },
        { ...fourth, type: 'acknowledged', document: policy },
      ]);
      expect(await store.assentsOf(hashes, [other.slug])).toEqual([
        expect.objectContaining({ id: drafts[4]!.input.id, document: other }),
      ]);
      expect(await store.assentsOf([pseudonymise(testKeys, 'carol').hash], asked)).toEqual([]);
    });

    it('streams every record of a subject under every key, page by page', async () => {
      const alice = { kind: 'user' as const, id: 'alice' };
      const batch = Array.from({ length: PAGE_SIZE + 400 }, (_, i) =>
        draft(acceptance({ subject: i % 4 ? alice : { kind: 'user', id: 'bob' } })),
      );
      for (let i = 0; i < batch.length; i += 100) await store.append(batch.slice(i, i + 100));
      await store.close();
      const rotated: SubjectKeys = {
        current: 2,
        keys: new Map([...testKeys.keys, [2, keyFromHex('5e'.repeat(32))]]),
      };
      store = await h.reopen(rotated);
      await store.append([
        draft(acceptance({ subject: alice })),
        draft(),
        draft(acceptance({ subject: alice })),
      ]);
      const hashes = subjectHashes(rotated, 'alice');
      const streamed = await all(store.subjectRecords(hashes));
      const records = await all(store.records());
      expect(streamed).toEqual(records.filter((r) => hashes.includes(r.subject.hash)));
      expect(streamed).toHaveLength(1050 + 2);
      expect(await store.assentsOf(hashes, [batch[1]!.input.document!.slug])).toEqual(
        streamed.map((r) => ({
          id: r.id,
          seq: r.seq,
          serverTime: r.serverTime,
          hash: r.hash,
          type: r.type,
          document: r.document,
        })),
      );
      expect(streamed.map((r) => r.seq)).toEqual([...streamed.map((r) => r.seq)].sort((a, b) => a - b));
      expect(new Set(streamed.map((r) => r.subject.keyVersion))).toEqual(new Set([1, 2]));
      expect(await all(store.subjectRecords([]))).toEqual([]);
    });

    it('reads the records page by page, from any position', async () => {
      const batch = Array.from({ length: PAGE_SIZE + 5 }, () => draft());
      for (let i = 0; i < batch.length; i += 100) await store.append(batch.slice(i, i + 100));
      expect((await all(store.records())).length).toBe(PAGE_SIZE + 5);
      expect((await all(store.records(PAGE_SIZE))).map((r) => r.seq)).toEqual([
        PAGE_SIZE,
        PAGE_SIZE + 1,
        PAGE_SIZE + 2,
        PAGE_SIZE + 3,
        PAGE_SIZE + 4,
        PAGE_SIZE + 5,
      ]);
      expect(await verifyChain(store.links())).toMatchObject({ ok: true, records: PAGE_SIZE + 5 });
    });

    it('refuses to change or delete a stored record', async () => {
      await store.append([draft()]);
      await expect(h.sql(`UPDATE records SET body = 'x' WHERE seq = 1`)).rejects.toThrow(/append-only/);
      await expect(h.sql('DELETE FROM records WHERE seq = 1')).rejects.toThrow(/append-only/);
    });

    it('detects a changed record', async () => {
      for (let i = 0; i < 4; i++) await store.append([draft()]);
      await h.sql(h.disableAppendOnly);
      await h.sql(`UPDATE records SET body = replace(body, '"accepted"', '"declined"') WHERE seq = 3`);
      expect(await verifyChain(store.links())).toMatchObject({
        ok: false,
        brokenAt: 3,
        reason: expect.stringContaining('was changed'),
      });
    });

    it('detects a removed record', async () => {
      for (let i = 0; i < 4; i++) await store.append([draft()]);
      await h.sql(h.disableAppendOnly);
      await h.sql('DELETE FROM records WHERE seq = 2');
      expect(await verifyChain(store.links())).toMatchObject({
        ok: false,
        brokenAt: 2,
        reason: expect.stringContaining('missing'),
      });
    });

    it('detects records swapped into another order', async () => {
      for (let i = 0; i < 4; i++) await store.append([draft()]);
      await h.sql(h.disableAppendOnly);
      // Swap the contents of rows 2 and 3, keeping the positions.
      await h.sql(`UPDATE records SET seq = -seq WHERE seq IN (2, 3)`);
      await h.sql(`UPDATE records SET seq = 3 WHERE seq = -2`);
      await h.sql(`UPDATE records SET seq = 2 WHERE seq = -3`);
      expect(await verifyChain(store.links())).toMatchObject({ ok: false, brokenAt: 2 });
    });

    it('keeps a Merkle tree over the records whose root and proofs an independent verifier accepts', async () => {
      for (const size of [1, 3, 1, 6, 2]) await store.append(Array.from({ length: size }, () => draft()));
      const leaves = (await recordHashes(store)).map(recordLeafData);
      expect(await store.treeSize()).toBe(13);
      const rows = (seqs: readonly number[]) => store.merkleRows(seqs);
      for (let n = 1; n <= 13; n++) {
        const root = mth(leaves.slice(0, n));
        expect(Buffer.from(await rootAt(rows, n))).toEqual(Buffer.from(root));
        for (let m = 0; m < n; m++) {
          const proof = await inclusionProof(rows, m, n);
          expect(refVerifyInclusion(m, n, leaves[m]!, proof.path, root)).toBe(true);
        }
        const older = mth(leaves.slice(0, 4));
        if (n > 4)
          expect(refVerifyConsistency(4, n, (await consistencyProof(rows, 4, n)).path, older, root)).toBe(
            true,
          );
      }
    });

    it('signs a checkpoint every N records, kept in the store, verifying under its public keys', async () => {
      await store.close();
      const checkpoints = testCheckpoints({ everyRecords: 5 });
      store = await h.reopen(testKeys, checkpoints);
      // The first commit is signed (nothing was), then the one that leaves 5 or more uncovered.
      for (let i = 0; i < 3; i++) await store.append([draft(), draft()]);
      expect((await store.checkpoint())?.treeSize).toBe(2);
      await store.append([draft()]);
      const latest = (await store.checkpoint())!;
      expect(latest.treeSize).toBe(7);
      expect(await store.checkpoint(4)).toBeUndefined();
      const jwks = { keys: await store.publicKeys() };
      expect(jwks.keys.map((k) => k.kid)).toEqual([checkpoints.key.kid]);
      const read = await verifyCheckpoint(latest.note, jwks, { origin: TEST_ORIGIN });
      const leaves = (await recordHashes(store)).map(recordLeafData);
      expect(Buffer.from(read.rootHash)).toEqual(Buffer.from(mth(leaves.slice(0, 7))));
      expect(read.time).toBe(latest.signedAt);
      expect((await store.checkpoint(2))?.note).toContain(`${TEST_ORIGIN}\n2\n`);
    });

    it('lists checkpoints newest first, a page below a tree size at a time', async () => {
      await store.close();
      store = await h.reopen(testKeys, testCheckpoints({ everyRecords: 2 }));
      for (let i = 0; i < 4; i++) await store.append([draft(), draft()]);
      const sizes = async (before: number | undefined, limit: number) =>
        (await store.checkpoints(before, limit)).map((c) => c.treeSize);
      expect(await sizes(undefined, 10)).toEqual([8, 6, 4, 2]);
      expect(await sizes(undefined, 2)).toEqual([8, 6]);
      expect(await sizes(6, 2)).toEqual([4, 2]);
      expect(await sizes(2, 2)).toEqual([]);
      const [newest] = await store.checkpoints(undefined, 1);
      expect(newest).toEqual(await store.checkpoint());
    });

    it('covers records left after a quiet moment by a checkpoint within everySeconds', async () => {
      await store.close();
      store = await h.reopen(testKeys, testCheckpoints({ everyRecords: 1000, everySeconds: 0.3 }));
      await store.append([draft()]);
      await expect.poll(async () => (await store.checkpoint())?.treeSize, { timeout: 5000 }).toBe(1);
      await store.append([draft(), draft()]);
      await expect.poll(async () => (await store.checkpoint())?.treeSize, { timeout: 5000 }).toBe(3);
    });

    it('finds exactly the records of any subject, under every key version, as records arrive', async () => {
      const subjects = ['ana', 'ben', 'chen', 'dai'];
      const rotated: SubjectKeys = {
        current: 2,
        keys: new Map([...testKeys.keys, [2, keyFromHex('09'.repeat(32))]]),
      };
      const hashesOf = (subject: string) =>
        [...rotated.keys.keys()].map(
          (version) => pseudonymise({ ...rotated, current: version }, subject).hash,
        );
      const slug = acceptance().document!.slug;
      const check = async () => {
        const records = await all(store.records());
        for (const subject of subjects) {
          const hashes = hashesOf(subject);
          const theirs = records.filter((r) => hashes.includes(r.subject.hash));
          expect((await all(store.subjectRecords(hashes))).map((r) => r.id)).toEqual(theirs.map((r) => r.id));
          const assents = theirs.filter((r) => r.type === 'accepted' || r.type === 'acknowledged');
          expect((await store.assentsOf(hashes, [slug])).map((r) => [r.id, r.type])).toEqual(
            assents.map((r) => [r.id, r.type]),
          );
        }
      };
      const made = fc.tuple(
        fc.constantFrom(...subjects),
        fc.constantFrom('accepted' as const, 'declined' as const, 'acknowledged' as const),
      );
      const batches = fc.array(fc.array(made, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 4 });
      const grows = fc.asyncProperty(batches, async (groups) => {
        for (const group of groups)
          await store.append(group.map(([id, type]) => draft(acceptance({ subject: { kind: 'user', id }, type }))));
        await check();
      });
      await fc.assert(grows, { numRuns: 8 });
      // Then the HMAC key is rotated: later records are under version 2, lookups use both.
      await store.close();
      store = await h.reopen(rotated);
      await fc.assert(grows, { numRuns: 8 });
    });

    it('answers inclusion and consistency proofs at random sizes that an independent verifier accepts', async () => {
      await store.close();
      store = await h.reopen(testKeys, testCheckpoints({ everyRecords: 7 }));
      const batches = fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 4 });
      const picks = fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { minLength: 1, maxLength: 6 });
      await fc.assert(
        fc.asyncProperty(batches, picks, async (sizes, asked) => {
          for (const size of sizes) await store.append(Array.from({ length: size }, () => draft()));
          const leaves = (await recordHashes(store)).map(recordLeafData);
          expect(await store.treeSize()).toBe(leaves.length);
          for (const [a, b, c] of asked) {
            const n = 1 + (a % leaves.length);
            const seq = 1 + (b % n);
            const root = mth(leaves.slice(0, n));
            const answer = await inclusionAnswer(store, seq, n);
            expect(answer).toMatchObject({ seq, leafIndex: seq - 1, treeSize: n });
            expect(refVerifyInclusion(seq - 1, n, leaves[seq - 1]!, answer.path.map(fromBase64), root)).toBe(
              true,
            );
            expect(answer.recordHash).toBe(await store.hashAt(seq));
            // The checkpoint of exactly that size when one was signed, else none.
            const signed = await store.checkpoint(n);
            expect(answer.checkpoint).toBe(signed?.note ?? null);
            if (signed) expect(Buffer.from(signed.root)).toEqual(Buffer.from(root));
            const m = 1 + (c % n);
            const proof = await consistencyAnswer(store, m, n);
            if (m < n)
              expect(
                refVerifyConsistency(m, n, proof.path.map(fromBase64), mth(leaves.slice(0, m)), root),
              ).toBe(true);
            else expect(proof.path).toEqual([]);
          }
        }),
        { numRuns: 8 },
      );
    });

    it('brings the tree of a store made before the tree existed up to its records', async () => {
      for (let i = 0; i < 4; i++) await store.append([draft(), draft(), draft()]);
      await store.close();
      await h.sql('DELETE FROM merkle_nodes WHERE seq > 5');
      store = await h.reopen();
      // SQLite's writer thread catches up as it starts, before any append.
      await expect.poll(() => store.treeSize(), { timeout: 5000 }).toBe(12);
      const leaves = (await recordHashes(store)).map(recordLeafData);
      expect(Buffer.from(await rootAt((seqs) => store.merkleRows(seqs), 12))).toEqual(
        Buffer.from(mth(leaves)),
      );
    });
  });
}
