import { AssentAccept } from './accept.ts';

AssentAccept.define();

export { AssentAccept };
export { configure } from '../shared/config.ts';
