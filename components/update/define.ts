import { AssentUpdate } from './update.ts';

AssentUpdate.define();

export { AssentUpdate };
export { configure } from '../shared/config.ts';
