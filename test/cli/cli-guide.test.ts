import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';
import { allCommands } from '../../electron/cli/main.ts';
import type { Command } from '../../electron/cli/framework.ts';

/**
 * The command guide's table (docs/cli.md), the CLI's commands and their --help agree: every command
 * is in the table with every option it accepts, the table names no command or option the CLI
 * lacks, and each command's --help shows all of its options.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const GUIDE = fs.readFileSync(path.join(ROOT, 'docs/cli.md'), 'utf8');

/** The first cell of each row of the table headed `| command | what it does |`. */
function commandCells(markdown: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => /^\|\s*command\s*\|\s*what it does\s*\|$/.test(l.trim()));
  expect(start, 'the guide has a table headed "| command | what it does |"').toBeGreaterThanOrEqual(0);
  const cells: string[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    // Cells are split on "|" that is not escaped as "\|" (alternatives inside code spans).
    cells.push(line.split(/(?<!\\)\|/)[1]!);
  }
  return cells;
}

/** The code spans of a cell, each with "\|" read as "|". */
function codeSpans(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.replaceAll('\\|', '|'));
}

/** The commands a span documents: its first words name them ("export licenses|clients …" names three). */
function commandsOf(span: string, commands: readonly Command[]): Command[] {
  const words = span.split(/\s+/);
  const matching = commands.filter((c) => c.path.every((p, i) => (words[i] ?? '').split('|').includes(p)));
  const longest = Math.max(0, ...matching.map((c) => c.path.length));
  return matching.filter((c) => c.path.length === longest);
}

function flags(text: string): string[] {
  return [...text.matchAll(/(?<![\w-])--([a-z][a-z0-9-]*)/g)].map((m) => m[1]!);
}

describe('the README and the guide on running keyfleet', () => {
  it('runs it from PATH after npm run link-cli, and mentions npx keyfleet only to warn against it outside the checkout', () => {
    const running = GUIDE.slice(GUIDE.indexOf('## Running it'));
    expect(running).toMatch(/```sh\n(?:.*\n)*npm run link-cli .*\nkeyfleet --help\n```/);
    // The README shows the same two lines and sends the reader to the guide.
    const section = README.slice(README.indexOf('## The `keyfleet` command'));
    expect(section).toMatch(/```sh\n(?:.*\n)*npm run link-cli .*\nkeyfleet --help\n```/);
    expect(section).toContain('[docs/cli.md](docs/cli.md)');
    const paragraphs = [README, GUIDE].flatMap((text) => text.split(/\n\s*\n/)).filter((p) => p.includes('npx keyfleet'));
    expect(paragraphs.length).toBeGreaterThan(0);
    for (const p of paragraphs) expect(p, 'a paragraph that mentions npx keyfleet').toContain('Never use\n`npx keyfleet` anywhere else');
  });
});

describe('the guide\'s command table and the CLI', () => {
  it('list the same commands, each with every option it accepts and none it does not', async () => {
    const commands = await allCommands();
    const documented = new Map<Command, string[]>();
    const unknown: string[] = [];
    for (const span of commandCells(GUIDE).flatMap(codeSpans)) {
      const found = commandsOf(span, commands);
      if (found.length === 0) unknown.push(span);
      for (const c of found) documented.set(c, [...(documented.get(c) ?? []), span]);
    }
    expect(unknown, 'table entries that name no keyfleet command').toEqual([]);
    const missing = commands.filter((c) => !documented.has(c)).map((c) => c.path.join(' '));
    expect(missing, 'commands missing from the table in docs/cli.md').toEqual([]);
    const problems: string[] = [];
    for (const c of commands) {
      const shown = new Set((documented.get(c) ?? []).flatMap(flags));
      const accepted = Object.keys(c.options ?? {});
      for (const o of accepted) if (!shown.has(o)) problems.push(`${c.path.join(' ')}: --${o} is not in the table in docs/cli.md`);
      for (const o of shown) if (!accepted.includes(o)) problems.push(`${c.path.join(' ')}: the table in docs/cli.md shows --${o}, which the command does not accept`);
    }
    expect(problems).toEqual([]);
  });

  it('keyfleet --help lists every command, and each command\'s --help shows every option it accepts', { timeout: 120_000 }, async () => {
    const commands = await allCommands();
    const home = tempDir('kf-help-');
    const help = await runCli(['--help'], { home });
    expect(help.code).toBe(0);
    for (const c of commands) expect(help.stdout, c.path.join(' ')).toMatch(new RegExp(`^  ${c.path.join(' ')} +${c.summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    const problems: string[] = [];
    // A few at a time: each is a process start.
    for (let i = 0; i < commands.length; i += 6) {
      await Promise.all(
        commands.slice(i, i + 6).map(async (c) => {
          const r = await runCli([...c.path, '--help'], { home });
          if (r.code !== 0 || !r.stdout.startsWith(`usage: keyfleet ${c.path.join(' ')}`)) problems.push(`${c.path.join(' ')} --help: exit ${r.code}: ${r.stdout}${r.stderr}`);
          for (const o of Object.keys(c.options ?? {})) if (!flags(r.stdout).includes(o)) problems.push(`${c.path.join(' ')} --help does not show --${o}`);
          // The longer help, given as text or as lines, is printed line for line.
          const shown = r.stdout.split('\n');
          for (const line of [c.help ?? []].flat().join('\n').split('\n')) if (line && !shown.includes(line)) problems.push(`${c.path.join(' ')} --help lacks the line "${line}"`);
        }),
      );
    }
    expect(problems).toEqual([]);
    fs.rmSync(home, { recursive: true, force: true });
  });
});
