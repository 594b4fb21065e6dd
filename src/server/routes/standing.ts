/**
 * `GET /v1/standing?subject=…&document=…`, for a partner's backend with a partner key
 * (plugins/partner-auth.ts), and `GET /v1/standing?document=…` for a browser holding a subject
 * token minted with one (the token names the subject; a token answers for its subject only,
 * and CORS admits the key's origins): per document, the version in effect today (by the manifest the
 * endpoint serves), the subject's latest acceptance or acknowledgement with its signed receipt,
 * and what is needed now (src/contract/standing.ts). The subject's records are found under every
 * HMAC key version. A subject without records gets the same shape as any other (`latest: null`),
 * so the answer says nothing of whether a subject exists beyond what standing means.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { StandingAnswer, StandingQuery, standingOf, type DocumentStanding } from '../../contract/standing.ts';
import { Problem, ProblemError } from '../problem.ts';
import { ReceiptSigner } from '../proof/receipts.ts';
import type { AssentRecord } from '../store/record-store.ts';
import { subjectHashes } from '../subject-keys.ts';

export const standingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config, store, manifest, signing, subjectKeys } = app;
  const receipts = new ReceiptSigner(() => signing.current);
  app.get(
    '/v1/standing',
    {
      ...app.partnerRoute(),
      // One `document` arrives as a string, several as an array: always an array for the schema.
      preValidation: async (request) => {
        const query = request.query as { document?: unknown };
        if (typeof query.document === 'string') query.document = [query.document];
      },
      schema: {
        querystring: StandingQuery,
        response: { 200: StandingAnswer, '4xx': Problem, '5xx': Problem },
      },
    },
    async (request) => {
      const partner = request.partner!;
      const token = request.subjectToken;
      const { document: slugs } = request.query;
      const subject = token ? token.sub : request.query.subject;
      if (subject === undefined)
        throw new ProblemError('invalid-query', "(query) must have required property 'subject'", [
          { pointer: '', message: "must have required property 'subject'" },
        ]);
      // Told without looking anything up: the answer is the same whoever the other subject is.
      if (token && request.query.subject !== undefined && request.query.subject !== token.sub)
        throw new ProblemError(
          'subject-not-in-token',
          'a subject token answers only for the subject it names; leave `subject` out of the query',
        );
      const documents = [...new Set(slugs)];
      const refused = documents.filter((slug) => !partner.documents.includes(slug));
      if (refused.length > 0) {
        throw new ProblemError(
          'document-not-allowed',
          `partner key ${partner.id} may not ask about ${refused.join(', ')}; it may ask about ${partner.documents.join(', ')}`,
        );
      }
      const index = manifest.current;
      const unknown = documents.filter((slug) => !index.document(slug));
      if (unknown.length > 0)
        throw new ProblemError('unknown-document', `the manifest has no document ${unknown.join(', ')}`);

      const today = new Date().toISOString().slice(0, 10);
      const records = await store.assentsOf(subjectHashes(subjectKeys, subject), documents);
      const answers = documents.map(async (slug): Promise<DocumentStanding> => {
        const versions = index.document(slug)!.versions;
        const own = records.filter((r) => r.document.slug === slug);
        const { inEffect, needed } = standingOf(
          versions,
          own.map((r) => ({ version: r.document.version, type: r.type })),
          today,
        );
        // assentsOf gives the oldest first.
        const last = own.at(-1);
        const lastAccepted = own.findLast((r) => r.type === 'accepted');
        const named = async (r: AssentRecord) => ({
          version: r.document.version,
          seq: r.seq,
          serverTime: r.serverTime,
          receipt: await receipts.sign(
            { id: r.id, type: r.type, document: r.document, subject: { id: subject } },
            r,
            config.logOrigin,
          ),
        });
        const [latest, accepted] = await Promise.all([
          last && named(last),
          lastAccepted && lastAccepted !== last ? named(lastAccepted) : undefined,
        ]);
        return {
          document: slug,
          inEffect: inEffect
            ? {
                version: inEffect.version,
                acceptance: inEffect.acceptance,
                contentHash: inEffect.contentHash,
              }
            : null,
          latest: latest ? { ...latest, type: last!.type } : null,
          accepted: (lastAccepted === last ? latest : accepted) ?? null,
          needed,
        };
      });
      return { today, documents: await Promise.all(answers) };
    },
  );
  // A browser's preflight for the token's Authorization header; CORS answers it (partnerRoute).
  app.options('/v1/standing', { config: app.partnerRoute().config }, (_request, reply) =>
    reply.callNotFound(),
  );
};
