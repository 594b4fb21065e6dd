#!/usr/bin/env node
/**
 * `assent`: the command line for legal editors and operators. A thin face over the content,
 * lint, diff and endpoint modules; every command has `--help`.
 */
import { EXIT, UsageError, wantsHelp, type Command } from './command.ts';

/**
 * Each command by name, loaded only when asked for: a command imports the parts it runs
 * (Astro for `start`, Fastify and the stores for `serve`, markdown-it for `lint`), and loading
 * them all cost every `assent lint` or `assent verify` about a second before it began.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  start: async () => (await import('./commands/start.ts')).start,
  dev: async () => (await import('./commands/dev.ts')).dev,
  'new-version': async () => (await import('./commands/new-version.ts')).newVersion,
  lint: async () => (await import('./commands/lint.ts')).lint,
  diff: async () => (await import('./commands/diff.ts')).diff,
  hash: async () => (await import('./commands/hash.ts')).hash,
  pdf: async () => (await import('./commands/pdf.ts')).pdf,
  serve: async () => (await import('./commands/serve.ts')).serve,
  verify: async () => (await import('./commands/verify.ts')).verify,
  checkpoint: async () => (await import('./commands/checkpoint.ts')).checkpoint,
  'signing-key': async () => (await import('./commands/signing-key.ts')).signingKey,
  keys: async () => (await import('./commands/keys.ts')).keys,
  export: async () => (await import('./commands/export.ts')).exportRecords,
};

/** The command list, which needs every command's summary: the one place all are loaded. */
async function usage(): Promise<string> {
  const commands = await Promise.all(Object.values(COMMANDS).map((load) => load()));
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
    console.log(await usage());
    return name ? EXIT.ok : EXIT.usage;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    console.error(`assent: unknown command "${name}"\n\n${await usage()}`);
    return EXIT.usage;
  }
  const command = await load();
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
