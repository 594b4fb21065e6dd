// Through index.ts, as the other modules: the class is in the shared chunk with Lit.
import { AssentCookies } from '../shared/index.ts';

// The class imports none of its parts loaded on demand (they import the shared chunk): they are named here.
AssentCookies.parts = { gate: () => import('./gate.ts'), preferences: () => import('./preferences.ts') };
AssentCookies.define();

export { AssentCookies };
export { configure } from '../shared/config.ts';
