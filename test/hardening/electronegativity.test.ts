import { describe, expect, it } from 'vitest';
import diagnostics from 'node:diagnostics_channel';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { tempDir } from '../helpers/tmp.ts';

/**
 * Doyensec's electronegativity over the main process, preload and renderer sources. Every
 * finding must be accepted, with a reason, in SECURITY.md; anything else fails CI.
 * (Its command-line front end relies on an undeclared, older `commander`; the scanner itself
 * is called directly.)
 *
 * It runs offline. The scanner reaches for the network twice: its message loader downloads
 * "updated translations" from an S3 bucket on every run (dist/locales/i18n.js), and the
 * AvailableSecurityFixesGlobalCheck downloads Electron's release list from GitHub. The first is
 * given the loader's own configuration with the translations the package ships, and the second
 * is excluded (it can only say "a newer Electron has security fixes", which needs the network).
 */
const require = createRequire(import.meta.url);
const i18nLoader = require.resolve('@doyensec/electronegativity/dist/locales/i18n.js');
const i18n = createRequire(i18nLoader)('i18n') as { configure(o: Record<string, unknown>): void; setLocale(l: string): void };
require.cache[i18nLoader] = {
  id: i18nLoader,
  filename: i18nLoader,
  loaded: true,
  exports: async () => {
    i18n.configure({ locales: ['en-US'], defaultLocale: 'en-US', directory: path.dirname(i18nLoader), updateFiles: false, objectNotation: true, retryInDefaultLocale: true, register: global });
    i18n.setLocale('en-US');
  },
} as NodeJS.Module;
const run = require('@doyensec/electronegativity/dist/runner.js') as (options: Record<string, unknown>, forCli: boolean) => Promise<unknown>;
const ONLINE_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

/** Every TCP connection and HTTP request this process starts while `work` runs. */
async function networkAttempts(work: () => Promise<void>): Promise<string[]> {
  const attempts: string[] = [];
  const onSocket = () => attempts.push('a TCP connection');
  const onRequest = (m: unknown) => {
    const { request } = m as { request: { host?: string; path?: string } };
    attempts.push(`GET ${request.host ?? '?'}${request.path ?? ''}`);
  };
  diagnostics.subscribe('net.client.socket', onSocket);
  diagnostics.subscribe('http.client.request.start', onRequest);
  try {
    await work();
  } finally {
    diagnostics.unsubscribe('net.client.socket', onSocket);
    diagnostics.unsubscribe('http.client.request.start', onRequest);
  }
  return attempts;
}
const electronVersion = (JSON.parse(fs.readFileSync('node_modules/electron/package.json', 'utf8')) as { version: string }).version;

interface Finding {
  check: string;
  file: string;
  line: number | undefined;
  message: string;
}

async function scan(dir: string): Promise<Finding[]> {
  const out = path.join(tempDir('kf-eneg-'), 'report.sarif');
  await run(
    {
      input: path.resolve(dir),
      output: out,
      isSarif: true,
      customScan: [],
      excludeFromScan: ONLINE_CHECKS,
      isRelative: true,
      isVerbose: false,
      electronVersionOverride: electronVersion,
      parserPlugins: [],
    },
    false,
  );
  // The scanner writes its report with a callback it does not wait for.
  let text = '';
  for (let i = 0; i < 100; i++) {
    text = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
    if (text.trim().endsWith('}')) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const sarif = JSON.parse(text) as {
    runs: Array<{ results: Array<{ ruleId: string; message: { text: string }; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region?: { startLine?: number } } }> }> }>;
  };
  return sarif.runs.flatMap((r) =>
    r.results.map((x) => ({
      check: x.ruleId,
      file: x.locations[0]!.physicalLocation.artifactLocation.uri,
      line: x.locations[0]!.physicalLocation.region?.startLine,
      message: x.message.text,
    })),
  );
}

function acceptedFindings(): Set<string> {
  const md = fs.readFileSync('SECURITY.md', 'utf8');
  const section = md.slice(md.indexOf('## Electronegativity findings accepted'));
  const accepted = new Set<string>();
  for (const line of section.split('\n')) {
    const m = /^\|\s*([A-Z0-9_]+)\s*\|\s*([^|]+?)\s*\|\s*(.+?)\s*\|$/.exec(line);
    if (m && m[3]!.length > 20) accepted.add(`${m[1]} ${m[2]}`);
  }
  return accepted;
}

describe('electronegativity', () => {
  it('finds nothing that SECURITY.md does not accept with a reason', async () => {
    // One scan over main, preload and renderer together, so the global checks see the main
    // process's navigation and permission handlers.
    const root = tempDir('kf-eneg-src-');
    fs.cpSync('electron', path.join(root, 'electron'), { recursive: true });
    fs.cpSync('renderer', path.join(root, 'renderer'), { recursive: true, filter: (src) => !src.includes(`${path.sep}dist`) });
    let findings: Finding[] = [];
    const attempts = await networkAttempts(async () => {
      findings = await scan(root);
    });
    expect(attempts, 'the scan reached for the network').toEqual([]);
    const accepted = acceptedFindings();
    expect(accepted.size).toBeGreaterThan(0);
    const unaccepted = findings.filter((f) => !accepted.has(`${f.check} ${f.file}`));
    console.log(`electronegativity: ${findings.length} finding(s), ${findings.length - unaccepted.length} accepted in SECURITY.md`);
    expect(unaccepted, unaccepted.map((f) => `${f.check} ${f.file}:${f.line} ${f.message}`).join('\n')).toEqual([]);
  }, 180_000);
});
