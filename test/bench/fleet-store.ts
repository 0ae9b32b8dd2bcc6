import fs from 'node:fs';
import path from 'node:path';
import { FleetStore, STORE_FILE, STORE_STAMP_FILE } from '../../electron/core/store/store.ts';
import { emptyStore, type Client, type Instance, type License, type StoreData } from '../../electron/core/store/schema.ts';

/**
 * Fleet stores for the benchmarks, written straight to keyfleet.json (building thousands of
 * instances through the CLI would take longer than the benchmark itself). Ids are
 * deterministic so two runs measure the same data.
 */

export const BENCH_CREDENTIAL_ID = 'cr_benchshared01';
export const BENCH_QM_LOGIN = 'keyupdater';
export const BENCH_QM_PASSWORD = 'bench-ku-secret';

/** The key the simulator reports for instance number `n` (what QueueMetrics calls the activation key). */
export function benchKeyFor(n: number): string {
  return `5231317C${n.toString(16).toUpperCase().padStart(8, '0')}7C4B46424E43487C307C`;
}

/** The instance number the simulator reads back out of an instance's URL path. */
export function instancePath(n: number): string {
  return `/i${n}/queuemetrics`;
}

export interface FleetShape {
  instances: number;
  /** Licenses per instance: the first is the QueueMetrics key the instance runs, the rest are other vendors'. */
  licensesPerInstance: number;
  /** Base URL (scheme, host and port, no path) for instance number n. */
  hostFor(n: number): string;
}

const CREATED = '2025-01-15T09:00:00.000Z';

function pad(n: number): string {
  return n.toString(36).padStart(8, '0');
}

function isoDay(base: Date, days: number): string {
  return new Date(base.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

export function buildFleet(shape: FleetShape, today = new Date()): StoreData {
  const data = emptyStore();
  const clientCount = Math.max(1, Math.ceil(shape.instances / 10));
  const clients: Client[] = [];
  for (let c = 0; c < clientCount; c++) {
    clients.push({ id: `cl_${pad(c)}`, name: `Client ${c + 1}`, email: `ops${c + 1}@client${c + 1}.example`, tags: [], createdAt: CREATED });
  }
  const instances: Instance[] = [];
  const licenses: License[] = [];
  for (let n = 0; n < shape.instances; n++) {
    const clientId = clients[n % clientCount]!.id;
    const id = `in_${pad(n)}`;
    instances.push({
      id,
      name: `qm-${String(n + 1).padStart(5, '0')}`,
      kind: 'queuemetrics',
      url: `${shape.hostFor(n)}${instancePath(n)}`,
      clientId,
      user: BENCH_QM_LOGIN,
      secret: { type: 'shared', credentialId: BENCH_CREDENTIAL_ID },
      tags: n % 3 === 0 ? ['prod'] : [],
      installedKey: benchKeyFor(n),
      createdAt: CREATED,
    });
    for (let k = 0; k < shape.licensesPerInstance; k++) {
      // Expiries spread from a month ago to four years ahead; every seventh is perpetual.
      const spread = ((n * 7 + k * 131) % 1500) - 30;
      const expiresAt = (n + k) % 7 === 0 ? null : isoDay(today, spread);
      const common = { clientId, instanceId: id, status: 'active' as const, replaces: [], createdAt: CREATED, updatedAt: CREATED, expiresAt };
      const lid = `lic_${pad(n)}${k}`;
      if (k === 0) {
        licenses.push({ ...common, id: lid, vendor: 'queuemetrics', key: benchKeyFor(n), product: 'QueueMetrics', limits: { agents: 10 + (n % 90), servers: 1 }, origin: 'ppk' });
      } else if (k % 3 === 1) {
        licenses.push({ ...common, id: lid, vendor: 'webitel', key: `wbt-${pad(n)}-${k}`, product: 'Webitel CC', limits: { seats: 20, used: n % 20, competitive: false }, origin: 'imported', details: { name: 'CC seats', scope: ['cc'] } });
      } else if (k % 3 === 2) {
        licenses.push({ ...common, id: lid, vendor: 'isymphony', key: `ISY${pad(n)}${k}SERIAL`, product: 'iSymphony Enterprise', limits: { connections: 50, users: null }, maintenanceExpiresAt: expiresAt, origin: 'imported', details: { coreServer: 'default' } });
      } else {
        licenses.push({ ...common, id: lid, vendor: 'qlm', key: `A${pad(n)}-${k}QLMKEY-9F3C-21B7`, product: 'Wallboard', limits: { seats: 5 }, origin: 'qlm', details: { features: '0:1' } });
      }
    }
  }
  data.clients = clients;
  data.instances = instances;
  data.credentials = [{ id: BENCH_CREDENTIAL_ID, name: 'bench-keyupdater', user: BENCH_QM_LOGIN, createdAt: CREATED }];
  data.licenses = licenses;
  return data;
}

/** Write a fleet into `dir` the way the app leaves its store: one validated commit (file and stamp). */
export function writeFleetStore(dir: string, data: StoreData): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const f of [STORE_FILE, STORE_STAMP_FILE]) fs.rmSync(path.join(dir, f), { force: true });
  const store = FleetStore.open(dir);
  store.commit(data);
  return store.file;
}
