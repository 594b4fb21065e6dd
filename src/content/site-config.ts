/**
 * `content/site.json`: what the site says about itself. Validated like front matter, with the
 * field and the expected value in the error.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';

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
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: cannot read the site configuration: ${(error as Error).message}`);
  }
  const result = siteConfigSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`${file}: field \`${issue.path.join('.') || '(root)'}\`: ${issue.message}`);
  }
  return result.data;
}

/** The title for a locale, falling back to the site's own locale and then to any title. */
export function siteTitle(config: SiteConfig, locale: string): string {
  return config.title[locale] ?? config.title[config.locale] ?? Object.values(config.title)[0]!;
}
