/**
 * `content/site.json`: what the site says about itself. Validated like front matter: each
 * error gives the file, line and column, the field, and what was expected.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { jsonFileErrors } from '../config-file/errors.ts';

export const siteConfigSchema = z.strictObject({
  // Site title per UI locale, e.g. { "zh-CN": "法律文件", "en": "Legal documents" }.
  title: z.record(z.string(), z.string().min(1)).refine((titles) => Object.keys(titles).length > 0, {
    error: 'at least one title, keyed by locale',
  }),
  // Locale of pages that belong to no single document, such as the home page.
  locale: z.string().min(2),
});

export type SiteConfig = z.infer<typeof siteConfigSchema>;

export async function readSiteConfig(root: string): Promise<SiteConfig> {
  const file = join(root, 'site.json');
  let text: string;
  let raw: unknown;
  try {
    text = await readFile(file, 'utf8');
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: cannot read the site configuration: ${(error as Error).message}`);
  }
  const result = siteConfigSchema.safeParse(raw);
  if (!result.success) throw new Error(jsonFileErrors(file, text, result.error.issues, { schema: siteConfigSchema }));
  return result.data;
}

/** The title for a locale, falling back to the site's own locale and then to any title. */
export function siteTitle(config: SiteConfig, locale: string): string {
  return config.title[locale] ?? config.title[config.locale] ?? Object.values(config.title)[0]!;
}
