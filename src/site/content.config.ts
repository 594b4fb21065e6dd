import { defineCollection } from 'astro:content';
import { contentDir } from './lib/content-dir.ts';
import { versionDataSchema } from './lib/version-data.ts';
import { legalDocuments } from './loader.ts';

export const collections = {
  // Every version of every legal document: content/<slug>/<version>.md.
  versions: defineCollection({ loader: legalDocuments({ root: contentDir }), schema: versionDataSchema }),
};
