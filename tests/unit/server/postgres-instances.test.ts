/**
 * Several endpoint instances on one PostgreSQL database, appending at once: whatever the mix
 * of new records, identical retries and conflicting reuses of an id, sent to whichever
 * instance, there is one chain and one Merkle tree, every acknowledged record is stored under
 * the receipt it was given, and every checkpoint (each instance signs with its own key)
 * verifies against the records.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyCheckpoint } from '../../../src/contract/proof/checkpoint.ts';
import { recordLeafData } from '../../../src/contract/proof/merkle.ts';
import { rootAt } from '../../../src/server/proof/tree-proofs.ts';
import { verifyChain } from '../../../src/server/record-hash.ts';
import { openPostgresStore, type PostgresStore } from '../../../src/server/store/postgres-store.ts';
import { IdConflictError, type AppendOutcome } from '../../../src/server/store/record-store.ts';
import type { RecordInput } from '../../../src/contract/record.ts';
import { freshSchema, postgresSkipReason } from '../../helpers/postgres.ts';
import { recordHashes, testCheckpoints, TEST_ORIGIN } from '../../helpers/proof.ts';
import { acceptance, draft, testKeys } from '../../helpers/records.ts';
import { mth } from '../proof/rfc9162-reference.ts';

const INSTANCES = 3;

/** One request: records picked from a small pool of ids, so that instances race for the same id. */
const requestArbitrary = fc.record({
  instance: fc.nat(INSTANCES - 1),
  records: fc.array(
    fc.record({
      id: fc.nat(11),
      // The same id with another subject: a different record, which must be refused.
      variant: fc.constantFrom(0, 0, 0, 1),
    }),
    { minLength: 1, maxLength: 3 },
  ),
});

describe.skipIf(postgresSkipReason !== undefined)('PostgreSQL instances on one database', () => {
  it('keep one chain and one tree, and answer every id the same, whichever instance is asked', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(requestArbitrary, { minLength: 1, maxLength: 40 }), async (requests) => {
        const schema = await freshSchema();
        const stores: PostgresStore[] = [];
        try {
          for (let i = 0; i < INSTANCES; i++) {
            stores.push(
              await openPostgresStore(schema.url, {
                commitWindowMs: 1,
                poolSize: 3,
                keys: testKeys,
                checkpoints: testCheckpoints({ everyRecords: 4 }),
              }),
            );
          }
          // Fixed per run, so that an id with the same variant is the same record, sent again.
          const inputs = new Map<string, RecordInput>();
          const input = (id: number, variant: number): RecordInput => {
            const key = `${id}/${variant}`;
            if (!inputs.has(key)) {
              const base = acceptance({ id: `rec-${id}`, clientTime: '2026-11-28T12:00:00.000Z' });
              inputs.set(key, { ...base, subject: { kind: 'user', id: `user-${id}-${variant}` } });
            }
            return inputs.get(key)!;
          };
          const settled = await Promise.allSettled(
            requests.map(({ instance, records }) =>
              stores[instance]!.append(records.map(({ id, variant }) => draft(input(id, variant)))),
            ),
          );

          // Each request either stored all of its records or was refused as a conflict.
          const receipts = new Map<string, AppendOutcome['receipt']>();
          for (const result of settled) {
            if (result.status === 'rejected') {
              expect(result.reason).toBeInstanceOf(IdConflictError);
              continue;
            }
            for (const { receipt } of result.value) {
              // Every answer for an id carries the one receipt it was stored under.
              expect(receipts.get(receipt.id) ?? receipt).toEqual(receipt);
              receipts.set(receipt.id, receipt);
            }
          }

          const reader = stores[0]!;
          const chain = await verifyChain(reader.links());
          expect(chain).toMatchObject({ ok: true, records: receipts.size });
          for (const receipt of receipts.values())
            expect(await reader.hashAt(receipt.seq)).toBe(receipt.hash);

          await Promise.all(stores.map((store) => store.close()));
          stores.length = 0;
          const check = await openPostgresStore(schema.url, { commitWindowMs: 1, keys: testKeys });
          stores.push(check);
          const leaves = (await recordHashes(check)).map(recordLeafData);
          expect(await check.treeSize()).toBe(leaves.length);
          const rows = (seqs: readonly number[]) => check.merkleRows(seqs);
          if (leaves.length > 0)
            expect(Buffer.from(await rootAt(rows, leaves.length))).toEqual(Buffer.from(mth(leaves)));
          const jwks = { keys: await check.publicKeys() };
          for (let size = 1; size <= leaves.length; size++) {
            const checkpoint = await check.checkpoint(size);
            if (!checkpoint) continue;
            const read = await verifyCheckpoint(checkpoint.note, jwks, { origin: TEST_ORIGIN });
            expect(Buffer.from(read.rootHash)).toEqual(Buffer.from(mth(leaves.slice(0, size))));
          }
          // The last instance to commit signed when 4 or more records were left uncovered.
          if (leaves.length > 0)
            expect((await check.checkpoint())?.treeSize).toBeGreaterThan(leaves.length - 4);
        } finally {
          await Promise.all(stores.map((store) => store.close().catch(() => {})));
          await schema.drop();
        }
      }),
      { numRuns: 10 },
    );
  }, 180_000);
});
