import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildConsole } from '../../../src/site/integrations/build-console.ts';

describe('the operator console bundle', () => {
  it('takes in only browser code: its own folder, the contract, the components’ theme, Lit and d3', async () => {
    const { inputs } = await buildConsole(mkdtempSync(join(tmpdir(), 'assent-console-wall-')));
    const allowed = [
      /^src\/console\//,
      /^src\/contract\//,
      /^components\/shared\/(styles|css)\.ts$/,
      /^node_modules\/(lit|lit-html|lit-element|@lit\/reactive-element|d3-[a-z-]+|internmap)\//,
    ];
    const outside = inputs.filter((input) => !allowed.some((pattern) => pattern.test(input)));
    expect(outside).toEqual([]);
    expect(inputs).toContain('src/console/main.ts');
  });
});
