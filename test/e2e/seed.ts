import type { Context } from '../../electron/core/context.ts';
import type { Client, Instance, License, Ppk, StoreData } from '../../electron/core/store/schema.ts';

/** Dates relative to today, so "expires in 12 days" stays true whenever the test runs. */
export function isoDay(offsetDays: number, from = new Date()): string {
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + offsetDays));
  return d.toISOString().slice(0, 10);
}

const NOW = () => new Date().toISOString().replace(/\.\d{3}Z$/, '.000Z');

export function seedClient(id: string, name: string, extra: Partial<Client> = {}): Client {
  return { id, name, tags: [], createdAt: NOW(), ...extra };
}

export function seedInstance(id: string, name: string, kind: Instance['kind'], extra: Partial<Instance> = {}): Instance {
  const url = kind === 'queuemetrics' ? `https://${name}.example.net/queuemetrics` : kind === 'isymphony' ? `http://${name}.example.net:58080` : `https://${name}.example.net/api`;
  return { id, name, kind, url, tags: [], createdAt: NOW(), ...extra };
}

export function seedLicense(id: string, vendor: License['vendor'], daysLeft: number | null, extra: Partial<License> = {}): License {
  return {
    id,
    vendor,
    key: `${vendor.slice(0, 2).toUpperCase()}${id.replace(/\W/g, '').toUpperCase()}-5231317C-5232476E-A1B2C3D4-${id.length}F00D`,
    product: vendor === 'queuemetrics' ? 'QueueMetrics' : vendor === 'isymphony' ? 'iSymphony Enterprise' : vendor === 'webitel' ? 'CALL_CENTER' : 'Dialer Pro',
    limits: {},
    validFrom: isoDay(-300),
    expiresAt: daysLeft === null ? null : isoDay(daysLeft),
    origin: vendor === 'qlm' ? 'qlm' : vendor === 'queuemetrics' ? 'ppk' : 'instance',
    status: 'active',
    replaces: [],
    createdAt: NOW(),
    updatedAt: NOW(),
    ...extra,
  };
}

export function seedPpk(id: string, code: string, agents: number, days: number, state: Ppk['state'] = 'in-stock'): Ppk {
  return { id, ppk: `XQI-LOWAY-${code}:QM-${agents}/1/${days}`, product: 'QM', agents, servers: 1, days, state, addedAt: NOW() };
}

export function seed(ctx: Context, change: (d: StoreData) => Partial<StoreData>): void {
  ctx.store.update((d) => ({ ...d, ...change(d) }));
}

/** A believable fleet for screenshots: several clients, all three instance kinds, expiries spread over a year. */
export function seedFleet(ctx: Context): void {
  const clients = [
    seedClient('cl_acme', 'Acme Contact Center', { email: 'it@acme.example', tags: ['enterprise'] }),
    seedClient('cl_globex', 'Globex Support', { email: 'ops@globex.example', tags: ['eu'] }),
    seedClient('cl_initech', 'Initech Helpdesk', { email: 'helpdesk@initech.example' }),
    seedClient('cl_umbrella', 'Umbrella Telecom', { email: 'noc@umbrella.example', tags: ['reseller'] }),
    seedClient('cl_hooli', 'Hooli Sales', { email: 'sales-it@hooli.example' }),
    seedClient('cl_stark', 'Stark Logistics', { tags: ['eu', 'priority'] }),
  ];
  const at = new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d{3}Z$/, '.000Z');
  const ok = { at, ok: true, durationMs: 420 };
  const instances = [
    seedInstance('in_qm_acme', 'qm-acme-prod', 'queuemetrics', { clientId: 'cl_acme', tags: ['prod', 'eu'], lastCheck: ok, user: 'keyupdater', secret: { type: 'own' } }),
    seedInstance('in_qm_acme2', 'qm-acme-dr', 'queuemetrics', { clientId: 'cl_acme', tags: ['dr'], lastCheck: ok, drift: 'differs' }),
    seedInstance('in_qm_globex', 'qm-globex', 'queuemetrics', { clientId: 'cl_globex', tags: ['eu'], lastCheck: { at, ok: false, error: { code: 'TIMEOUT', message: 'instance qm-globex: no answer within 15 s' } } }),
    seedInstance('in_isy_initech', 'isy-initech', 'isymphony', { clientId: 'cl_initech', tags: ['us'], lastCheck: ok, coreServer: 'default' }),
    seedInstance('in_wb_umbrella', 'webitel-umbrella', 'webitel', { clientId: 'cl_umbrella', tags: ['cloud'], lastCheck: ok }),
    seedInstance('in_qm_hooli', 'qm-hooli', 'queuemetrics', { clientId: 'cl_hooli', tags: ['us'], lastCheck: ok }),
    seedInstance('in_isy_stark', 'isy-stark', 'isymphony', { clientId: 'cl_stark', tags: ['eu', 'priority'] }),
    seedInstance('in_wb_stark', 'webitel-stark', 'webitel', { clientId: 'cl_stark', tags: ['eu'], lastCheck: ok }),
  ];
  const L = (id: string, vendor: License['vendor'], days: number | null, clientId: string, instanceId: string | undefined, extra: Partial<License> = {}) =>
    seedLicense(id, vendor, days, { clientId, ...(instanceId ? { instanceId } : {}), ...extra });
  const licenses: License[] = [
    L('lic_1', 'queuemetrics', 4, 'cl_acme', 'in_qm_acme', { limits: { agents: 50, servers: 1 } }),
    L('lic_2', 'queuemetrics', 26, 'cl_acme', 'in_qm_acme2', { limits: { agents: 20, servers: 1 } }),
    L('lic_3', 'queuemetrics', -6, 'cl_globex', 'in_qm_globex', { limits: { agents: 30, servers: 2 } }),
    L('lic_4', 'isymphony', null, 'cl_initech', 'in_isy_initech', { limits: { connections: -1, users: 250 } }),
    L('lic_5', 'webitel', 61, 'cl_umbrella', 'in_wb_umbrella', { product: 'CALL_CENTER', key: '7f3c2a10-5b1e-4c8e-9a77-2d4f1e0c9b11', limits: { seats: 120, used: 97, competitive: true } }),
    L('lic_6', 'webitel', 61, 'cl_umbrella', 'in_wb_umbrella', { product: 'CHAT', key: '0c1d2e3f-4a5b-6c7d-8e9f-a0b1c2d3e4f5', limits: { seats: 10, used: 4, competitive: false } }),
    L('lic_7', 'queuemetrics', 85, 'cl_hooli', 'in_qm_hooli', { limits: { agents: 10, servers: 1 } }),
    L('lic_8', 'isymphony', 140, 'cl_stark', 'in_isy_stark', { limits: { connections: 40, users: 60 } }),
    L('lic_9', 'webitel', 12, 'cl_stark', 'in_wb_stark', { product: 'CALL_MANAGER', key: '9a8b7c6d-5e4f-3a2b-1c0d-efefefefef01', limits: { seats: 25, used: 25, competitive: true } }),
    L('lic_10', 'qlm', 190, 'cl_acme', undefined, { limits: { seats: 5 } }),
    L('lic_11', 'qlm', 230, 'cl_globex', undefined, { limits: { seats: 2 }, product: 'Dialer Pro' }),
    L('lic_12', 'qlm', 320, 'cl_hooli', undefined, { limits: { seats: 10 }, product: 'Recorder' }),
    L('lic_13', 'qlm', 47, 'cl_initech', undefined, { limits: { seats: 3 }, product: 'Recorder' }),
    L('lic_14', 'queuemetrics', 160, 'cl_globex', 'in_qm_globex', { status: 'superseded', limits: { agents: 30, servers: 2 } }),
    L('lic_15', 'qlm', 110, 'cl_umbrella', undefined, { limits: { seats: 8 }, product: 'Dialer Pro', muted: true }),
    L('lic_16', 'webitel', 280, 'cl_stark', 'in_wb_stark', { product: 'VOIP_DEVICE', key: '5d5d5d5d-1111-2222-3333-444455556666', limits: { seats: 40, used: 12, competitive: false } }),
  ];
  const ppks = [
    seedPpk('ppk_1', '74KKMREX6TOH1', 50, 90),
    seedPpk('ppk_2', '8AZQ2MWPP0L4C', 50, 90),
    seedPpk('ppk_3', 'Q1Q2Q3Q4Q5Q6Q', 20, 365),
    seedPpk('ppk_4', 'ZZ9PLURALZALP', 10, 30),
    seedPpk('ppk_5', 'CONVERTED0001', 50, 90, 'installed'),
  ];
  seed(ctx, () => ({ clients, instances, licenses, ppks }));
}
