import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFleet, writeFleetStore } from '../bench/fleet-store.ts';
import { tempDir } from '../helpers/tmp.ts';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../electron/cli/keyfleet.js');

describe('keyfleet in a pipeline', () => {
  it('stops quietly when the reader closes the pipe early (keyfleet licenses | head)', async () => {
    const home = tempDir();
    // 2,000 licenses: far more output than a pipe buffer holds.
    writeFleetStore(home, buildFleet({ instances: 500, licensesPerInstance: 4, hostFor: () => 'http://127.0.0.1:9' }));
    for (const args of [['licenses'], ['licenses', '--json']]) {
      const child = spawn(process.execPath, [BIN, '--home', home, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      // Read the first chunk, then hang up, as head does.
      const first = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString())));
      child.stdout.destroy();
      const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
      expect(first.length).toBeGreaterThan(0);
      expect(stderr).not.toMatch(/EPIPE|Unhandled|at /);
      expect(code).toBe(0);
    }
  });
});
