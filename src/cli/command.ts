/**
 * What the editors' commands share as command-line programs: the flags, the
 * usage message, and the exit codes (0 done, 1 problems, 2 bad usage).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Target } from './wrangler.ts';

export interface CommandLine {
  target: Target;
  positionals: string[];
  dryRun: boolean;
  /** The command's own boolean flags that were given. */
  flags: Set<string>;
  /** The command's own options that take a value, as given. */
  options: Map<string, string>;
}

/** Parses the command line the editors' commands share, plus a command's own boolean `flags` and `options` that take a value. */
export function parseCommandLine(argv: string[], flags: readonly string[] = [], options: readonly string[] = []): CommandLine {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      local: { type: 'boolean' },
      remote: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      'persist-to': { type: 'string' },
      env: { type: 'string' },
      ...Object.fromEntries(flags.map((f) => [f, { type: 'boolean' as const }])),
      ...Object.fromEntries(options.map((o) => [o, { type: 'string' as const }])),
    },
  });
  if (values.local && values.remote) throw new Error('choose one of --local and --remote');
  if (values.remote && values['persist-to']) throw new Error('--persist-to is for local storage only');
  if (values.env !== undefined && !/^[a-z0-9-]+$/.test(values.env)) throw new Error(`--env must name an environment of wrangler.toml, such as staging, got ${JSON.stringify(values.env)}`);
  return {
    target: {
      remote: values.remote === true,
      ...(values['persist-to'] && { persistTo: path.resolve(values['persist-to']) }),
      ...(values.env && { env: values.env }),
    },
    positionals,
    dryRun: values['dry-run'] === true,
    flags: new Set(flags.filter((f) => (values as Record<string, unknown>)[f] === true)),
    options: new Map(options.flatMap((o) => {
      const value = (values as Record<string, unknown>)[o];
      return typeof value === 'string' ? [[o, value] as const] : [];
    })),
  };
}

/** Runs a command's main function with the parsed flags, turning failures into messages and exit codes. */
export async function runCommand(
  name: string,
  usage: string,
  run: (parsed: CommandLine, root: string, log: (line: string) => void) => Promise<number>,
  flags: readonly string[] = [],
  options: readonly string[] = [],
): Promise<void> {
  const root = path.resolve(import.meta.dirname, '..', '..');
  let parsed: CommandLine;
  try {
    parsed = parseCommandLine(process.argv.slice(2), flags, options);
  } catch (error) {
    console.error(`${name}: ${error instanceof Error ? error.message : error}\nusage: npm run ${name} -- ${usage}`);
    process.exit(2);
  }
  try {
    process.exitCode = await run(parsed, root, (line) => console.log(line));
  } catch (error) {
    console.error(`${name} failed: ${error instanceof Error ? error.message : error}`);
    process.exitCode = 1;
  }
}
