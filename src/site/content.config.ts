import { defineCollection } from 'astro:content';
import { buildDate, contentDir } from 'virtual:assent/site-data';
import { versionDataSchema } from './lib/version-data.ts';
import { legalDocuments } from './loader.ts';

export const collections = {
  // Every version of every legal document: content/<slug>/<version>.md.
  versions: defineCollection({
    loader: legalDocuments({ root: contentDir, buildDate }),
    schema: versionDataSchema,
  }),
};
