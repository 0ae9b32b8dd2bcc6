import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import { openContext } from '../../electron/core/open.ts';
import { readInstance, type InstanceReading } from '../../electron/core/services/instance-check.ts';
import { KeyringVault, keychainService } from '../../electron/core/vault/vault.ts';
import type { Instance } from '../../electron/core/store/schema.ts';
import { tempDir } from '../helpers/tmp.ts';

/**
 * A reading keeps only what it says, not the vendor's whole answer: a refresh holds thousands of
 * readings until it commits them, and the store keeps each instance's key for good.
 */
const KEY = '5231317C000000017C4B46424E43487C307C';
const MESSAGE_CHARS = 256 * 1024;
const credential = { type: 'credential' as const, id: 'cr_readdetach1' };
const vault = new KeyringVault(keychainService());
let server: http.Server;
let url: string;

/** QueueMetrics' answer to a key query, with a long Message row (as a chatty server might send). */
function answer(): string {
  const row = (a: string, b: string) => `<value><array><data><value><string>${a}</string></value><value><string>${b}</string></value></data></array></value>`;
  const rows = [row('Status', 'OK'), row('Key', KEY), row('Message', 'x'.repeat(MESSAGE_CHARS))].join('');
  return `<?xml version="1.0"?>\n<methodResponse><params><param><value><struct><member><name>result</name><value><array><data>${rows}</data></array></value></member></struct></value></param></params></methodResponse>\n`;
}

beforeAll(async () => {
  await vault.set(credential, 'ku-secret');
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/xml' }).end(answer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/queuemetrics`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await vault.delete(credential);
});

function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

describe('readInstance', () => {
  it('returns a reading that does not keep the answer it was read from alive', { timeout: 60_000 }, async () => {
    const ctx = openContext({ dataDir: tempDir(), vault });
    const instance: Instance = { id: 'in_detach0001', name: 'qm-chatty', kind: 'queuemetrics', url, user: 'keyupdater', secret: { type: 'shared', credentialId: credential.id }, tags: [], createdAt: '2026-12-01T10:00:00.000Z' };
    const readings: InstanceReading[] = [];
    // Warm up (the client's code, the connection pool), then measure what 40 kept readings cost.
    readings.push(await readInstance(ctx, instance));
    collectGarbage();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 40; i++) readings.push(await readInstance(ctx, instance));
    collectGarbage();
    const grownMb = (process.memoryUsage().heapUsed - before) / 2 ** 20;
    expect(readings.every((r) => r.kind === 'queuemetrics' && r.key === KEY)).toBe(true);
    // 40 answers of 256 KB each would be 10 MB.
    expect(grownMb).toBeLessThan(3);
    ctx.http.close?.();
  });
});
