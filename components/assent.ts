/**
 * All of Assent in one module: defines `<assent-accept>`, `<assent-cookies>` and
 * `<assent-update>`, and exports `Assent.configure()` for page-wide settings (no globals: a
 * page imports it, `import { Assent } from '…/assent/assent.js'`).
 */
import { configure } from './shared/config.ts';

export { AssentAccept } from './accept/define.ts';
export { AssentCookies } from './cookies/define.ts';
export { AssentUpdate } from './update/define.ts';
export { configure };
export type { AssentConfig } from './shared/config.ts';
export type * from './shared/events.ts';

export const Assent = { configure };
