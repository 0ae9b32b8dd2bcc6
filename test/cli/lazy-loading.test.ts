import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cliSession, runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';
import { startQmSimulator } from '../vendors/queuemetrics/simulator.ts';

/**
 * Each command loads only the code it uses: a `keyfleet` process runs one command, and loading
 * every service, vendor client and the contract's schemas is most of a cold start (and of the
 * memory of a big refresh). These tests run the real CLI with a load hook that lists every
 * module it loaded, so a static import of a heavy module cannot slip back in unnoticed.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const HOOK = pathToFileURL(path.join(ROOT, 'test/cli/module-list-hook.mjs')).href;

/** Modules no command that only reads the store should load. */
const HEAVY = [
  'electron/core/api/contract.ts',
  'electron/core/api/handlers.ts',
  'electron/core/vendors/instance-endpoint.ts',
  'electron/core/vendors/',
  'node_modules/csv-parse/',
  'node_modules/csv-stringify/',
  'node_modules/ics/',
  'node_modules/fast-xml-parser/',
  'node_modules/xmlrpc/',
];

interface Loaded {
  code: number | null;
  stdout: string;
  /** Our files relative to the repository (electron/…), packages as node_modules/<name>/…, builtins as node:… */
  modules: string[];
}

const homes: string[] = [];
afterAll(() => {
  for (const h of homes) fs.rmSync(h, { recursive: true, force: true });
});

async function modulesLoadedBy(args: string[], home = tempDir()): Promise<Loaded> {
  homes.push(home);
  const list = path.join(home, 'modules.json');
  // The source graph: the bundle keeps the same lazy imports as chunks, but names no modules.
  const r = await runCli(args, { home, env: { NODE_OPTIONS: `--import="${HOOK}"`, KEYFLEET_TEST_MODULE_LIST: list, KEYFLEET_CLI_SOURCES: '1' } });
  const urls = JSON.parse(fs.readFileSync(list, 'utf8')) as string[];
  const modules = urls.map((u) => {
    if (!u.startsWith('file:')) return u;
    const p = fileURLToPath(u);
    const nm = p.lastIndexOf(`${path.sep}node_modules${path.sep}`);
    return (nm >= 0 ? p.slice(nm + 1) : path.relative(ROOT, p)).split(path.sep).join('/');
  });
  return { code: r.code, stdout: r.stdout, modules };
}

/** Pure rules inside a vendor's folder that listings need: no wire client, no package behind them. */
const LIGHT = ['electron/core/vendors/queuemetrics/drift.ts'];

function loadedAmong(modules: string[], prefixes: string[]): string[] {
  return modules.filter((m) => prefixes.some((p) => m.startsWith(p)) && !LIGHT.includes(m));
}

describe('keyfleet CLI: each command loads only what it uses', () => {
  it('licenses --json loads the store and the licenses service, not the contract, vendor clients or CSV/XML/calendar libraries', async () => {
    const r = await modulesLoadedBy(['licenses', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ licenses: [], drift: [] });
    // The hook did see the command run.
    expect(r.modules).toContain('electron/cli/commands/licenses.ts');
    expect(r.modules).toContain('electron/core/services/licenses.ts');
    expect(loadedAmong(r.modules, HEAVY)).toEqual([]);
    // Only the noun's own command module.
    expect(r.modules.filter((m) => m.startsWith('electron/cli/commands/'))).toEqual(['electron/cli/commands/licenses.ts']);
  });

  it('instance list --json does not load the contract or any vendor client either', async () => {
    const r = await modulesLoadedBy(['instance', 'list', '--json']);
    expect(r.code).toBe(0);
    expect(r.modules).toContain('electron/core/api/views.ts');
    expect(loadedAmong(r.modules, HEAVY)).toEqual([]);
  });

  it('refresh loads the refresh service and the vendor clients, not the contract or CSV/calendar libraries', async () => {
    const r = await modulesLoadedBy(['refresh', '--json']);
    expect(r.code).toBe(0);
    expect(r.modules).toContain('electron/core/services/refresh.ts');
    expect(r.modules).toContain('electron/core/vendors/instance-endpoint.ts');
    expect(
      loadedAmong(r.modules, ['electron/core/api/contract.ts', 'electron/core/api/handlers.ts', 'node_modules/csv-parse/', 'node_modules/csv-stringify/', 'node_modules/ics/', 'electron/core/vendors/queuemetrics/activation.ts']),
    ).toEqual([]);
  });

  it('refresh of a QueueMetrics instance answering plain XML-RPC reads it without loading the xmlrpc package', async () => {
    const key = 'AAAA1111-BBBB2222-CCCC3333-DDDD4444-EEEE5555-FFFF6666';
    const qm = await startQmSimulator({ key });
    try {
      const home = tempDir();
      await cliSession(home).setUp([
        [['credential', 'add', 'ku', '--user', 'keyupdater', '--secret-stdin'], 'ku-secret\n'],
        [['instance', 'add', 'qm-one', '--kind', 'queuemetrics', '--url', qm.baseUrl, '--credential', 'ku']],
      ]);
      const r = await modulesLoadedBy(['refresh', '--json'], home);
      expect(r.code, r.stdout).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ checked: 1, ok: 1, failed: 0 });
      expect(r.modules).toContain('electron/core/vendors/queuemetrics/client.ts');
      // Its SAX parser and XML builder are only for calls and answers the plain codec declines.
      expect(loadedAmong(r.modules, ['node_modules/xmlrpc/', 'electron/core/vendors/queuemetrics/xmlrpc-package.ts'])).toEqual([]);
    } finally {
      await qm.close();
    }
  });

  it('--version loads no command module, no service and no package', async () => {
    const r = await modulesLoadedBy(['--version']);
    expect(r.code).toBe(0);
    expect(r.modules).toContain('electron/cli/main.ts');
    expect(loadedAmong(r.modules, ['electron/cli/commands/', 'electron/core/services/', 'electron/core/store/', 'electron/core/vault/', 'electron/core/api/', 'node_modules/'])).toEqual([]);
  });

  it('--help loads the command definitions but no service, store or package', async () => {
    const r = await modulesLoadedBy(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ppk activate');
    expect(r.modules).toContain('electron/cli/commands/reminders.ts');
    expect(loadedAmong(r.modules, ['electron/core/services/', 'electron/core/store/', 'electron/core/vault/', 'electron/core/api/', 'electron/core/vendors/', 'electron/core/domain/', 'node_modules/'])).toEqual([]);
  });
});
