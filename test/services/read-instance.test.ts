import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import { openContext } from '../../electron/core/open.ts';
import { readInstance, type InstanceReading } from '../../electron/core/services/instance-check.ts';
import { refreshInstances } from '../../electron/core/services/refresh.ts';
import { addCredential, addInstance } from '../../electron/core/services/instances.ts';
import type { SecretOwner, Vault } from '../../electron/core/vault/vault.ts';
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

describe('a bulk read of instances sharing credentials', () => {
  it('asks the keychain once per credential, and every instance whose secret is gone says so', { timeout: 60_000 }, async () => {
    const asked: string[] = [];
    // The OS keychain itself, with each lookup noted.
    const counting: Vault = {
      get: (owner: SecretOwner) => {
        asked.push(`${owner.type}:${owner.id}`);
        return vault.get(owner);
      },
      set: (owner, secret) => vault.set(owner, secret),
      delete: (owner) => vault.delete(owner),
    };
    const ctx = openContext({ dataDir: tempDir(), vault: counting });
    const kept = await addCredential(ctx, { name: 'ku-kept', user: 'keyupdater', secret: 'ku-secret' });
    const lost = await addCredential(ctx, { name: 'ku-lost', user: 'keyupdater', secret: 'ku-secret' });
    try {
      await vault.delete({ type: 'credential', id: lost.id });
      for (let i = 0; i < 8; i++) {
        await addInstance(ctx, { name: `qm-${i}`, kind: 'queuemetrics', url: url.replace(/\/queuemetrics$/, `/qm${i}`), credential: i % 2 ? 'ku-lost' : 'ku-kept' });
      }
      asked.length = 0;
      const result = await refreshInstances(ctx, { concurrency: 8, perHost: 8 });
      expect(result.ok).toBe(4);
      expect(result.failures.map((f) => f.instance).sort()).toEqual(['qm-1', 'qm-3', 'qm-5', 'qm-7']);
      for (const f of result.failures) {
        expect(f.error.code).toBe('SECRET_MISSING');
        expect(f.error.message).toContain(`instance ${f.instance}: its secret is not in the OS keychain`);
      }
      expect(asked.sort()).toEqual([`credential:${kept.id}`, `credential:${lost.id}`].sort());
      const byName = new Map(ctx.store.data.instances.map((i) => [i.name, i]));
      expect(byName.get('qm-0')?.snapshot?.key).toBe(KEY);
      expect(byName.get('qm-1')?.lastCheck?.error?.code).toBe('SECRET_MISSING');
    } finally {
      await vault.delete({ type: 'credential', id: kept.id });
      ctx.http.close?.();
    }
  });
});
