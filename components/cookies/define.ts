import { AssentCookies } from './cookies.ts';

AssentCookies.define();

export { AssentCookies };
export { configure } from '../shared/config.ts';
