#!/usr/bin/env node
/**
 * `assent`: the command line for legal editors and operators. A thin face over the content,
 * lint, diff and endpoint modules; every command has `--help`.
 */
import { EXIT, UsageError, wantsHelp, type Command } from './command.ts';
import { dev } from './commands/dev.ts';
import { checkpoint } from './commands/checkpoint.ts';
import { diff } from './commands/diff.ts';
import { exportRecords } from './commands/export.ts';
import { hash } from './commands/hash.ts';
import { keys } from './commands/keys.ts';
import { lint } from './commands/lint.ts';
import { newVersion } from './commands/new-version.ts';
import { pdf } from './commands/pdf.ts';
import { serve } from './commands/serve.ts';
import { signingKey } from './commands/signing-key.ts';
import { start } from './commands/start.ts';
import { verify } from './commands/verify.ts';

const commands: Command[] = [
  start,
  dev,
  newVersion,
  lint,
  diff,
  hash,
  pdf,
  serve,
  verify,
  checkpoint,
  signingKey,
  keys,
  exportRecords,
];

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: assent <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `assent <command> --help` for the options of one command.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    console.error(`assent: unknown command "${name}"\n\n${usage()}`);
    return EXIT.usage;
  }
  if (wantsHelp(args)) {
    console.log(command.help);
    return EXIT.ok;
  }
  try {
    return await command.run(args);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`assent ${command.name}: ${error.message}\n\n${command.help}`);
      return EXIT.usage;
    }
    console.error(`assent ${command.name}: ${(error as Error).message}`);
    return EXIT.failed;
  }
}

process.exitCode = await main(process.argv.slice(2));
