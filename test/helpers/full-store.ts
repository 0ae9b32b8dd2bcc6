import { emptyStore, type StoreData } from '../../electron/core/store/schema.ts';

const at = '2026-11-22T10:00:00.000Z';

/** A store with every collection filled, to check that nothing is lost on the way to the file and back. */
export function fullStore(): StoreData {
  const d = emptyStore();
  return {
    ...d,
    clients: [{ id: 'cl_1', name: 'Acme', email: 'ops@acme.test', notes: 'n', tags: ['gold'], reminderStages: [10, 1], createdAt: at }],
    credentials: [{ id: 'cr_1', name: 'shared', user: 'keyupdater', createdAt: at }],
    instances: [
      {
        id: 'in_1',
        name: 'qm-acme',
        kind: 'queuemetrics',
        url: 'https://qm.acme.test/queuemetrics',
        clientId: 'cl_1',
        user: 'keyupdater',
        secret: { type: 'shared', credentialId: 'cr_1' },
        pinSha256: Array.from({ length: 32 }, () => 'AB').join(':'),
        tags: ['eu'],
        group: 'hosted',
        lastCheck: { at, ok: false, error: { code: 'NETWORK', message: 'refused' }, durationMs: 12 },
        installedKey: 'K-1',
        snapshot: { at, key: 'K-1', summary: 's' },
        drift: 'none',
        createdAt: at,
      },
    ],
    sources: [{ id: 'src_1', name: 'qlm', kind: 'qlm', url: 'https://qlm.test/qlmservice.asmx', vendor: 'v', user: 'u', hasSecret: true, productDefaults: { productId: 1, major: 2, minor: 0 }, dateFormat: 'yyyy-MM-dd', lastSkewMs: -5, createdAt: at }],
    ppks: [
      {
        id: 'ppk_1',
        ppk: 'XQI-LOWAY-1:QM-50/1/90',
        product: 'QM',
        agents: 50,
        servers: 1,
        days: 90,
        state: 'converted',
        addedAt: at,
        conversion: { key: 'K-1', issuedAt: at, expiresAt: '2027-02-20', serverTime: at, skewMs: 3, enduser: 'Acme', email: 'e@x.test', sourceId: 'src_1', at },
        licenseId: 'lic_1',
      },
    ],
    licenses: [
      {
        id: 'lic_1',
        vendor: 'queuemetrics',
        key: 'K-1',
        clientId: 'cl_1',
        instanceId: 'in_1',
        product: 'QueueMetrics',
        limits: { agents: 50, servers: 1 },
        validFrom: '2026-11-22',
        expiresAt: '2027-02-20',
        maintenanceExpiresAt: null,
        origin: 'ppk',
        status: 'active',
        replaces: ['lic_0'],
        muted: false,
        snoozedUntil: '2026-12-01',
        reminderStages: [7],
        details: { note: 'x' },
        createdAt: at,
        updatedAt: at,
      },
    ],
    fired: [{ licenseId: 'lic_1', stage: 30, expiresAt: '2027-02-20', firedAt: at }],
    lowStockFired: [{ key: 'QM-50/1/90', level: 1, firedAt: at }],
    pending: [{ id: 'op_1', kind: 'qlm.create', summary: 's', startedAt: at, state: 'answer-lost' }],
  };
}
