import { join } from 'node:path';

export const projectRoot = join(import.meta.dirname, '../..');
export const contentRoot = join(projectRoot, 'content');
export const rawSeeds = {
  agreement: join(projectRoot, 'tests/fixtures/seeds/000_1ff5f467957c1c06.txt'),
  privacy: join(projectRoot, 'tests/fixtures/seeds/004_507b995342e0dc9d.txt'),
};
export const contentFiles = {
  agreement: join(contentRoot, 'weisure-service-agreement/2018-06-01.md'),
  privacy: join(contentRoot, 'besttrav-privacy-policy/2020-12-01.md'),
  privacySample: join(contentRoot, 'besttrav-privacy-policy/2021-06-01.md'),
};
