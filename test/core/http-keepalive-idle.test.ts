import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { makeSelfSignedCert } from '../helpers/servers.ts';
import { trackedServer, type TrackedServer } from '../helpers/tracked-server.ts';

/** Idle pooled connections never keep a CLI process alive. */
describe('idle pooled connections do not keep a process alive', () => {
  const cert = makeSelfSignedCert();
  const httpModule = path.resolve('electron/core/net/http.ts');
  let plain: TrackedServer;
  let secure: TrackedServer;

  beforeAll(async () => {
    plain = await trackedServer('http');
    secure = await trackedServer('https', cert);
  });
  afterAll(async () => {
    await plain.close();
    await secure.close();
  });

  /** Runs a short script doing one idempotent request; resolves with ms from its answer to its exit. */
  function runOnce(url: string, pin: string | null): Promise<{ out: string; exitAfterMs: number; code: number | null }> {
    const script = `
      import { NodeHttpTransport } from ${JSON.stringify(httpModule)};
      const res = await new NodeHttpTransport().request({ method: 'GET', url: ${JSON.stringify(url)}, idempotent: true, pinSha256: ${JSON.stringify(pin)} });
      process.stdout.write(res.status + ' ' + res.body.toString() + '\\n');
    `;
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      let answeredAt = 0;
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        answeredAt ||= Date.now();
      });
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.on('error', reject);
      child.on('exit', (code) => {
        clearTimeout(kill);
        if (!answeredAt) return reject(new Error(`child printed nothing (code ${code}): ${err}`));
        resolve({ out, exitAfterMs: Date.now() - answeredAt, code });
      });
    });
  }

  it('a CLI-like script exits promptly after a keep-alive request (plain HTTP and pinned TLS)', async () => {
    const [p, s] = await Promise.all([runOnce(`${plain.url}/once`, null), runOnce(`${secure.url}/once`, cert.fingerprint)]);
    expect(p.out).toBe('200 ok:1\n');
    expect(s.out).toBe('200 ok:1\n');
    expect([p.code, s.code]).toEqual([0, 0]);
    // The pooled socket idles for 4 s and the server keeps it 30 s: exiting well before that
    // means the idle connection did not hold the process.
    expect(p.exitAfterMs).toBeLessThan(1_500);
    expect(s.exitAfterMs).toBeLessThan(1_500);
    // It really was a keep-alive connection, closed only by the process going away.
    expect(plain.seen).toEqual([{ path: '/once', conn: 1, nth: 1, connectionHeader: 'keep-alive' }]);
    expect(secure.seen).toEqual([{ path: '/once', conn: 1, nth: 1, connectionHeader: 'keep-alive' }]);
    await Promise.all([plain.closed(1), secure.closed(1)]);
  });
});
