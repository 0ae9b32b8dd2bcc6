import fs from 'node:fs';
import type { Command, CliIo } from './framework.ts';
import { parseCommandArgs } from './framework.ts';
import { fleetCommands } from './commands/fleet.ts';
import { queueMetricsCommands } from './commands/queuemetrics.ts';
import { vendorCommands } from './commands/vendors.ts';
import { reminderCommands } from './commands/reminders.ts';
import { KeyfleetError, INPUT_ERROR_CODES, toErrorInfo } from '../core/errors.ts';
import { openContext, resolveDataDir } from '../core/open.ts';
import { KeyringVault, keychainService } from '../core/vault/vault.ts';
import { stderrLogger } from '../core/log.ts';

/** Every command, in the order help lists them. */
export const COMMANDS: Command[] = [...fleetCommands, ...queueMetricsCommands, ...vendorCommands, ...reminderCommands];

function version(): string {
  const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.path.join(' ').length));
  return [
    'keyfleet — license fleet manager for QueueMetrics, iSymphony, Webitel and QLM',
    '',
    'usage: keyfleet [--home DIR] [--json] COMMAND [ARGS]',
    '',
    'global options:',
    '  --home DIR   data directory (else $KEYFLEET_HOME, else the desktop app\'s own)',
    '  --json       print exactly one JSON document on stdout',
    '  --help       this text; `keyfleet COMMAND --help` for one command',
    '  --version    print the version',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`),
    '',
    'secrets are read from standard input with --secret-stdin, never from arguments.',
    'exit codes: 0 done; 1 the operation failed; 2 bad usage or bad input (nothing changed).',
  ].join('\n');
}

function findCommand(words: string[]): { cmd: Command; rest: string[] } | null {
  let best: { cmd: Command; rest: string[] } | null = null;
  for (const cmd of COMMANDS) {
    const n = cmd.path.length;
    if (words.length >= n && cmd.path.every((p, i) => words[i] === p) && (!best || n > best.cmd.path.length)) {
      best = { cmd, rest: words.slice(n) };
    }
  }
  return best;
}

/** Split global flags (anywhere on the line) from the command's own words. */
function splitGlobals(argv: string[]) {
  const rest: string[] = [];
  let home: string | undefined;
  let json = false;
  let help = false;
  let showVersion = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') json = true;
    else if (a === '--help' || a === '-h') help = true;
    else if (a === '--version') showVersion = true;
    else if (a === '--home') {
      home = argv[++i];
      if (!home) throw new KeyfleetError('BAD_INPUT', '--home needs a directory');
    } else if (a.startsWith('--home=')) home = a.slice('--home='.length);
    else rest.push(a);
  }
  return { rest, home, json, help, showVersion };
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let json = argv.includes('--json');
  const fail = (e: unknown): number => {
    const info = toErrorInfo(e);
    const code = INPUT_ERROR_CODES.has(info.code) ? 2 : 1;
    if (json) io.stdout.write(`${JSON.stringify({ error: { code: info.code, message: info.message } })}\n`);
    io.stderr.write(`keyfleet: ${info.message}\n`);
    return code;
  };
  try {
    const g = splitGlobals(argv);
    json = g.json;
    if (g.showVersion) {
      io.stdout.write(json ? `${JSON.stringify({ version: version() })}\n` : `${version()}\n`);
      return 0;
    }
    const found = findCommand(g.rest);
    if (!found) {
      if (g.help || g.rest.length === 0) {
        io.stdout.write(`${helpText()}\n`);
        return g.rest.length === 0 && !g.help ? 2 : 0;
      }
      throw new KeyfleetError('BAD_INPUT', `unknown command "${g.rest.join(' ')}"; see keyfleet --help`);
    }
    const { cmd, rest } = found;
    if (g.help) {
      io.stdout.write(`usage: keyfleet ${cmd.usage}\n\n${cmd.summary}\n`);
      return 0;
    }
    const parsed = parseCommandArgs(cmd, rest);
    const ctx = openContext({
      dataDir: resolveDataDir(g.home, io.env),
      vault: new KeyringVault(keychainService(io.env)),
      log: stderrLogger(),
      actor: 'cli',
    });
    const out = await cmd.run(ctx, {
      ...parsed,
      io,
      json,
      progress: (m) => {
        if (!json) io.stderr.write(`${m}\n`);
      },
    });
    io.stdout.write(json ? `${JSON.stringify(out.json)}\n` : `${out.text}\n`);
    return out.exitCode ?? 0;
  } catch (e) {
    return fail(e);
  }
}
