import type { Command, CliIo } from './framework.ts';
import { parseCommandArgs } from './framework.ts';
import { KeyfleetError, INPUT_ERROR_CODES, toErrorInfo } from '../core/errors.ts';

/**
 * Commands are filed by noun: every command whose first word is NOUN lives in commands/NOUN.ts
 * (exporting `commands`), so a command line loads only its noun's module. A process runs one
 * command, and loading every module (with every vendor client and service they import) is
 * most of a cold start. The list is the help order; a test checks it against the folder.
 */
export const COMMAND_NOUNS = [
  'client',
  'source',
  'credential',
  'instance',
  'licenses',
  'history',
  'ppk',
  'refresh',
  'reconcile',
  'isymphony',
  'qlm',
  'webitel',
  'reminders',
  'export',
  'calendar',
  'onboard',
] as const;

type CommandNoun = (typeof COMMAND_NOUNS)[number];

function isNoun(word: string | undefined): word is CommandNoun {
  return (COMMAND_NOUNS as readonly string[]).includes(word ?? '');
}

/** The commands filed under one noun. */
export async function commandsOf(noun: CommandNoun): Promise<Command[]> {
  return ((await import(`./commands/${noun}.ts`)) as { commands: Command[] }).commands;
}

/** Every command, in the order help lists them. */
export async function allCommands(): Promise<Command[]> {
  return (await Promise.all(COMMAND_NOUNS.map(commandsOf))).flat();
}

/** Loaded only for --version; the CLI bundle carries it in (it lives elsewhere than the sources). */
async function version(): Promise<string> {
  const pkg = (await import('../../package.json', { with: { type: 'json' } })) as { default: { version: string } };
  return pkg.default.version;
}

function helpText(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.path.join(' ').length));
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
    ...commands.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`),
    '',
    'secrets are read from standard input with --secret-stdin, never from arguments.',
    'exit codes: 0 done; 1 the operation failed; 2 bad usage or bad input (nothing changed).',
  ].join('\n');
}

function findCommand(commands: readonly Command[], words: string[]): { cmd: Command; rest: string[] } | null {
  let best: { cmd: Command; rest: string[] } | null = null;
  for (const cmd of commands) {
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
      const v = await version();
      io.stdout.write(json ? `${JSON.stringify({ version: v })}\n` : `${v}\n`);
      return 0;
    }
    const noun = g.rest[0];
    let found = isNoun(noun) ? findCommand(await commandsOf(noun), g.rest) : null;
    if (!found) {
      const commands = await allCommands();
      found = findCommand(commands, g.rest);
      if (!found && (g.help || g.rest.length === 0)) {
        io.stdout.write(`${helpText(commands)}\n`);
        return g.rest.length === 0 && !g.help ? 2 : 0;
      }
      if (!found) throw new KeyfleetError('BAD_INPUT', `unknown command "${g.rest.join(' ')}"; see keyfleet --help`);
    }
    const { cmd, rest } = found;
    if (g.help) {
      const more = typeof cmd.help === 'string' ? cmd.help : cmd.help?.join('\n');
      io.stdout.write(`usage: keyfleet ${cmd.usage}\n\n${cmd.summary}\n${more ? `\n${more}\n` : ''}`);
      return 0;
    }
    const parsed = parseCommandArgs(cmd, rest);
    const [{ openContext, resolveDataDir }, { KeyringVault, keychainService }, { stderrLogger }] = await Promise.all([
      import('../core/open.ts'),
      import('../core/vault/vault.ts'),
      import('../core/log.ts'),
    ]);
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
