import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { tempDir } from '../helpers/tmp.ts';
import { REQUIRED_NODE, nodeTooOld } from '../../electron/cli/node-requirement.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const LAUNCHER = path.join(ROOT, 'electron/cli/keyfleet.js');

/** A Node.js older than Keyfleet needs, if this machine has one (Debian's /usr/bin/node is 20). */
function olderNode(): { node: string; version: string } | null {
  const candidates = ['/usr/bin/node', '/usr/local/bin/node', ...(process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, 'node'))];
  for (const node of new Set(candidates)) {
    try {
      const version = execFileSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8', timeout: 10_000 }).trim();
      if (nodeTooOld(version)) return { node, version };
    } catch {
      // Not there, or not a Node.js.
    }
  }
  return null;
}

describe('the Node.js version keyfleet needs', () => {
  it('an older Node gets the version it found, where to get a newer one and the command to run next', () => {
    const old = olderNode();
    // Without an older Node on the machine, this Node pretends to be 20.11.1 before the launcher loads.
    const pretend = `data:text/javascript,Object.defineProperty(process.versions,'node',{value:'20.11.1'})`;
    const r = old
      ? spawnSync(old.node, [LAUNCHER, 'client', 'list'], { encoding: 'utf8' })
      : spawnSync(process.execPath, ['--import', pretend, LAUNCHER, 'client', 'list'], { encoding: 'utf8' });
    const version = old?.version ?? '20.11.1';
    expect(r.status, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`Node.js ${REQUIRED_NODE} or newer is required; this is Node.js ${version} (${old?.node ?? process.execPath})`);
    expect(r.stderr).toContain('https://nodejs.org/en/download');
    expect(r.stderr).toContain(`\`npm install\` and \`npm run link-cli\` in ${ROOT} `);
  });

  it("package.json asks npm for a Node that every installed package accepts and the launcher runs on", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    const wanted = pkg.engines.node;
    // Nothing npm accepts is older than the launcher needs…
    expect(semver.gte(semver.minVersion(wanted)!, semver.coerce(REQUIRED_NODE)!)).toBe(true);
    // …and every version npm accepts is one each installed package's own "engines" accepts too,
    // so engine-strict never stops an install on a Node package.json admitted.
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { engines?: { node?: string }; optional?: boolean; dev?: boolean }> };
    const narrower = Object.entries(lock.packages)
      .filter(([name, p]) => name !== '' && typeof p.engines?.node === 'string' && !p.optional && semver.validRange(p.engines.node))
      .filter(([, p]) => !semver.subset(wanted, p.engines!.node!))
      .map(([name, p]) => `${name} wants ${p.engines!.node}`);
    expect(narrower).toEqual([]);
  });

  it('npm install refuses a Node that package.json does not accept, before installing anything', () => {
    // The project's own .npmrc and lock file, with "engines" asking for a Node newer than this
    // one: npm must stop with EBADENGINE instead of installing with warnings.
    const dir = tempDir('kf-engines-');
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    const newer = `>=${Number(process.versions.node.split('.')[0]) + 1}`;
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ ...pkg, engines: { node: newer } }));
    for (const f of ['package-lock.json', '.npmrc']) {
      if (fs.existsSync(path.join(ROOT, f))) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
    }
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    try {
      // --offline: whatever happens, nothing is fetched.
      const r = spawnSync(npm, ['install', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
      expect(r.status, r.stdout + r.stderr).not.toBe(0);
      expect(r.stderr).toContain('code EBADENGINE');
      expect(r.stderr).toContain(`Not compatible with your version of node/npm: ${pkg.name as string}@${pkg.version as string}`);
      expect(fs.existsSync(path.join(dir, 'node_modules'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
