/**
 * What the site keeps for each document version, as the `versions` collection's schema: its
 * front matter (the schema editors' files are checked against), where it came from, its content
 * hash and the outline the pages need. The HTML is kept beside it as the entry's rendered
 * content. Astro derives the pages' types from this schema.
 */
import * as z from 'zod';
import { frontMatterFields } from '../../content/front-matter.ts';
import type { ChangeReport } from '../../diff/change-report.ts';

export const versionDataSchema = frontMatterFields.extend({
  // The document, from its folder name: besttrav-privacy-policy.
  slug: z.string(),
  // The version: its effective date, from the file name.
  version: z.string(),
  // Source file, as read.
  file: z.string(),
  // SHA-256 of the version as README's recipe makes it, `sha256:<hex>`.
  contentHash: z.string(),
  // The headings, for the table of contents.
  toc: z.array(z.object({ depth: z.number(), anchor: z.string(), text: z.string() })),
  // The key (bold) passages, with the clause each is in.
  keyClauses: z.array(z.object({ anchor: z.string(), clause: z.string().optional(), text: z.string() })),
  // What changed from the previous published version; null for the first. Made by our own diff,
  // not read from an editor's file, so it is typed here rather than checked again.
  changes: z.custom<ChangeReport>().nullable(),
  // Dev only (npm run dev): what lint says about this version's file, shown on its page.
  findings: z
    .array(
      z.object({
        file: z.string(),
        line: z.number(),
        column: z.number(),
        severity: z.enum(['error', 'warning']),
        message: z.string(),
        rule: z.string(),
      }),
    )
    .optional(),
});

export type VersionData = z.infer<typeof versionDataSchema>;
