import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { tempDir } from '../helpers/tmp.ts';

/**
 * Doyensec's electronegativity over the main process, preload and renderer sources. Every
 * finding must be accepted, with a reason, in SECURITY.md; anything else fails CI.
 * (Its command-line front end relies on an undeclared, older `commander`; the scanner itself
 * is called directly.)
 */
const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity/dist/runner.js') as (options: Record<string, unknown>, forCli: boolean) => Promise<unknown>;
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
      excludeFromScan: [],
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
    const findings = await scan(root);
    const accepted = acceptedFindings();
    expect(accepted.size).toBeGreaterThan(0);
    const unaccepted = findings.filter((f) => !accepted.has(`${f.check} ${f.file}`));
    console.log(`electronegativity: ${findings.length} finding(s), ${findings.length - unaccepted.length} accepted in SECURITY.md`);
    expect(unaccepted, unaccepted.map((f) => `${f.check} ${f.file}:${f.line} ${f.message}`).join('\n')).toEqual([]);
  }, 180_000);
});
