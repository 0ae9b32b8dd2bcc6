import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/cli.ts';
import { readTree, tempDir } from '../helpers/tmp.ts';
import { KeyringVault } from '../../electron/core/vault/vault.ts';
import { STORE_FILE } from '../../electron/core/store/store.ts';

const service = process.env.KEYFLEET_KEYCHAIN_SERVICE!;
const vault = new KeyringVault(service);

describe('keyfleet CLI: clients, instances, the keychain', () => {
  const home = tempDir();
  const secret = `pw-${Math.random().toString(36).slice(2)}-Zq9`;
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  it('--help lists the commands and exits 0', async () => {
    const r = await runCli(['--help'], { home });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('instance add');
    expect(r.stdout).toContain('ppk activate');
  });

  it('client add --json prints the client', async () => {
    const r = await runCli(['client', 'add', 'Acme Call Centre', '--email', 'ops@acme.test', '--json'], { home });
    expect(r.code).toBe(0);
    expect(r.json.client).toMatchObject({ name: 'Acme Call Centre', id: expect.stringMatching(/^cl_/) });
  });

  it('instance add --secret-stdin puts the secret in the keychain and nowhere in the home directory', async () => {
    const r = await runCli(
      ['instance', 'add', 'qm-acme', '--kind', 'queuemetrics', '--url', 'http://127.0.0.1:1/queuemetrics', '--client', 'acme call centre', '--user', 'keyupdater', '--secret-stdin', '--json'],
      { home, stdin: `${secret}\n` },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.instance).toMatchObject({ name: 'qm-acme', kind: 'queuemetrics', id: expect.stringMatching(/^in_/) });
    expect(await vault.get({ type: 'instance', id: r.json.instance.id })).toBe(secret);
    for (const f of readTree(home)) expect(f.text, f.file).not.toContain(secret);
    expect(r.stdout + r.stderr).not.toContain(secret);
  });

  it('instance list --json shows the instance with its client and no secret', async () => {
    const r = await runCli(['instance', 'list', '--json'], { home });
    expect(r.code).toBe(0);
    expect(r.json.instances).toEqual([expect.objectContaining({ name: 'qm-acme', kind: 'queuemetrics', client: 'Acme Call Centre', license: null, hasSecret: true })]);
    expect(r.stdout).not.toContain(secret);
  });

  it('bad input exits 2 with a JSON error naming the field, and changes nothing', async () => {
    const before = fs.readFileSync(`${home}/keyfleet.json`, 'utf8');
    const r = await runCli(['instance', 'add', 'x', '--kind', 'queuemetrics', '--url', 'ftp://host', '--json'], { home });
    expect(r.code).toBe(2);
    expect(r.json.error).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('url') });
    expect(fs.readFileSync(`${home}/keyfleet.json`, 'utf8')).toBe(before);
  });

  it('a duplicate name is refused with exit 2', async () => {
    const r = await runCli(['client', 'add', 'ACME call centre', '--json'], { home });
    expect(r.code).toBe(2);
    expect(r.json.error.code).toBe('CONFLICT');
  });

  it('an unknown command is bad usage (exit 2)', async () => {
    const r = await runCli(['frobnicate', '--json'], { home });
    expect(r.code).toBe(2);
    expect(r.json.error.message).toContain('unknown command');
  });

  it('with no keychain the secret is refused with a clear error and nothing is stored', async () => {
    // Another server than qm-acme's: one server is one instance.
    const r = await runCli(['instance', 'add', 'qm-nokeychain', '--kind', 'queuemetrics', '--url', 'http://127.0.0.1:2/queuemetrics', '--secret-stdin', '--json'], {
      home,
      stdin: 'another-secret\n',
      env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/keyfleet-test-bus' },
    });
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(r.json.error.message).toMatch(/Secret Service/);
    const list = await runCli(['instance', 'list', '--json'], { home });
    expect(list.json.instances.map((i: { name: string }) => i.name)).not.toContain('qm-nokeychain');
  });

  it('history lists what happened', async () => {
    const r = await runCli(['history', '--json'], { home });
    expect(r.json.events.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['client.add', 'instance.add']));
  });
});

describe('keyfleet CLI: instance update checks its input as the app does', () => {
  it('refuses an empty name and a malformed fingerprint with the contract\'s words, exit 2, changing nothing', async () => {
    const home = tempDir();
    const add = await runCli(['instance', 'add', 'qm', '--kind', 'queuemetrics', '--url', 'http://127.0.0.1:9/queuemetrics', '--json'], { home });
    expect(add.code, add.stderr).toBe(0);
    const store = () => fs.readFileSync(path.join(home, STORE_FILE), 'utf8');
    const before = store();
    const empty = await runCli(['instance', 'update', 'qm', '--name=', '--json'], { home });
    expect(empty.code).toBe(2);
    expect(empty.json.error).toEqual({ code: 'BAD_INPUT', message: 'name: is required' });
    const pin = await runCli(['instance', 'update', 'qm', '--pin', 'zz', '--json'], { home });
    expect(pin.code).toBe(2);
    expect(pin.json.error).toEqual({ code: 'BAD_INPUT', message: 'pinSha256: is not a SHA-256 fingerprint' });
    expect(store()).toBe(before);
  });
});

describe('keyfleet CLI: URLs never carry secrets into the store', () => {
  it('refuses a URL whose query looks like a secret, naming the parameter', async () => {
    const home = tempDir();
    const r = await runCli(['source', 'add', 'q', '--kind', 'qlm', '--url', 'https://qlm.test/qlmservice.asmx/PingHttp?is_pwd=hunter2', '--vendor', 'v', '--user', 'u', '--secret-stdin', '--json'], { home, stdin: 'pw\n' });
    expect(r.code).toBe(2);
    expect(r.json.error.message).toContain('"is_pwd"');
    for (const f of readTree(home)) expect(f.text).not.toContain('hunter2');
  });
});

describe('keyfleet CLI: lazy command loading', () => {
  it('commands are filed by noun: commands/NOUN.ts holds exactly the commands starting with NOUN, and every such file is a listed noun', async () => {
    const { COMMAND_NOUNS, commandsOf } = await import('../../electron/cli/main.ts');
    const dir = fileURLToPath(new URL('../../electron/cli/commands/', import.meta.url));
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -'.ts'.length));
    expect([...files].sort()).toEqual([...COMMAND_NOUNS].sort());
    for (const noun of COMMAND_NOUNS) {
      const commands = await commandsOf(noun);
      expect(commands.length, `commands/${noun}.ts`).toBeGreaterThan(0);
      for (const c of commands) expect(c.path[0], `"${c.path.join(' ')}" in commands/${noun}.ts`).toBe(noun);
    }
  });
});
