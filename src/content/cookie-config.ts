/**
 * `content/cookies.json`: the cookie categories `<assent-cookies>` asks about, published in the
 * manifest. Optional: a site without it publishes no cookie configuration. Errors name the
 * file, line and column, the field and what was expected.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { jsonFileErrors } from '../config-file/errors.ts';
import { COOKIE_MODES } from '../contract/manifest.ts';

const localized = z
  .record(z.string().min(2), z.string().trim().min(1))
  .refine((text) => Object.keys(text).length > 0, { error: 'text in at least one language, keyed by locale' });

const categoryId = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, { error: 'a lowercase id such as analytics' });

export const cookieConfigSchema = z
  .strictObject({
    // Changed by the editor whenever what is asked changes; users are asked again.
    revision: z.string().trim().min(1).max(100),
    // Slug of the document that explains cookies, linked from the banner.
    policy: z.string().optional(),
    // Necessary first, then the categories a user may grant or refuse.
    categories: z
      .array(
        z.strictObject({
          // Used in records and in data-assent-category on gated scripts.
          id: categoryId,
          // necessary | opt-in | opt-out
          mode: z.enum(COOKIE_MODES),
          // Name of the category, per locale.
          label: localized,
          // What the category is for, per locale.
          description: localized,
          // The cookies it covers; deleted when the category is refused.
          cookies: z.array(
            z.strictObject({
              // Cookie name, or a prefix ending in `*`.
              name: z.string().regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, { error: 'a cookie name, or a prefix ending in *' }),
              // Who sets it.
              service: z.string().optional(),
              // What it is for, per locale.
              purpose: localized.optional(),
              // How long it lasts, per locale.
              duration: localized.optional(),
            }),
          ),
        }),
      )
      .min(1),
    // Google Consent Mode v2 signal → the categories that must all be granted for it.
    googleConsentMode: z.record(z.string().regex(/^[a-z_]+$/), z.array(categoryId)).default({}),
  })
  .superRefine((config, ctx) => {
    const ids = config.categories.map((c) => c.id);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) ctx.addIssue({ code: 'custom', path: ['categories', i, 'id'], message: `category id "${id}" is used twice` });
    });
    for (const [signal, categories] of Object.entries(config.googleConsentMode)) {
      for (const id of categories) {
        if (!ids.includes(id)) {
          ctx.addIssue({
            code: 'custom',
            path: ['googleConsentMode', signal],
            message: `names category "${id}", which is not one of ${ids.join(', ')}`,
          });
        }
      }
    }
  });

export type CookieConfigSource = z.infer<typeof cookieConfigSchema>;

/** Reads `<root>/cookies.json`; undefined when the site has none. */
export async function readCookieConfig(root: string): Promise<CookieConfigSource | undefined> {
  const file = join(root, 'cookies.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not valid JSON: ${(error as Error).message}`);
  }
  const result = cookieConfigSchema.safeParse(raw);
  if (!result.success) throw new Error(jsonFileErrors(file, text, result.error.issues, { schema: cookieConfigSchema }));
  return result.data;
}
