/**
 * The proof routes, for auditors and partners, without a token: the newest signed checkpoint,
 * inclusion and consistency proofs (RFC 9162), and the public keys as a JWKS. What they answer
 * is made in src/server/proof/proof-answers.ts; how to check it, in src/contract/proof/.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CheckpointAnswer,
  ConsistencyAnswer,
  ConsistencyQuery,
  InclusionAnswer,
  InclusionQuery,
  JwksAnswer,
} from '../../contract/proof/api.ts';
import { Problem, ProblemError } from '../problem.ts';
import {
  checkpointAnswer,
  consistencyAnswer,
  inclusionAnswer,
  ProofRangeError,
} from '../proof/proof-answers.ts';

async function answering<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ProofRangeError) throw new ProblemError('proof-out-of-range', error.message);
    throw error;
  }
}

export const proofRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { store } = app;
  app.get(
    '/v1/checkpoint',
    { schema: { response: { 200: CheckpointAnswer, '4xx': Problem, '5xx': Problem } } },
    async () => {
      const answer = await checkpointAnswer(store);
      if (!answer) {
        throw new ProblemError(
          'no-checkpoint',
          'no checkpoint has been signed yet: the endpoint signs one as records arrive',
        );
      }
      return answer;
    },
  );

  app.get<{ Querystring: { seq: string; size?: string } }>(
    '/v1/proof/inclusion',
    {
      schema: {
        querystring: InclusionQuery,
        response: { 200: InclusionAnswer, '4xx': Problem, '5xx': Problem },
      },
    },
    async (request) => {
      const { seq, size } = request.query;
      return answering(() =>
        inclusionAnswer(store, Number(seq), size === undefined ? undefined : Number(size)),
      );
    },
  );

  app.get<{ Querystring: { from: string; to: string } }>(
    '/v1/proof/consistency',
    {
      schema: {
        querystring: ConsistencyQuery,
        response: { 200: ConsistencyAnswer, '4xx': Problem, '5xx': Problem },
      },
    },
    async (request) =>
      answering(() => consistencyAnswer(store, Number(request.query.from), Number(request.query.to))),
  );

  app.get(
    '/.well-known/assent-keys.json',
    { schema: { response: { 200: JwksAnswer, '5xx': Problem } } },
    async (_request, reply) => {
      // Keys are added, never removed: a verifier may keep them a while.
      reply.header('cache-control', 'public, max-age=300');
      return { keys: await store.publicKeys() };
    },
  );
};
