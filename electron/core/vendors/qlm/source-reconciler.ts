import type { License } from '../../store/schema.ts';
import type { ChangeFinding, Findings, SourceReconciler } from '../reconciler.ts';
import { acceptField, fieldOf } from '../reconciler.ts';
import { clientIndex, matchClient } from './import.ts';
import { compareQlm, qlmHoldings, type ReconcileChange, type ServerLicense } from './reconcile.ts';

/**
 * A QLM License Server in cross-vendor reconciliation: what it lists now (qlmHoldings) compared
 * with the licenses Keyfleet records for that source (compareQlm), as findings whose accept
 * takes the server's value. Fields are named as for every vendor: `seats` is `limits.seats`, and
 * `revoked` is the license's `status`.
 */
function finding(license: License, change: ReconcileChange): ChangeFinding {
  let field: string = change.field;
  let server: unknown = change.server;
  if (change.field === 'seats') field = 'limits.seats';
  if (change.field === 'revoked') {
    field = 'status';
    server = change.server ? 'revoked' : 'active';
  }
  const recorded = fieldOf(license, field);
  return {
    licenseId: license.id,
    key: license.key,
    vendor: 'qlm',
    sourceId: license.sourceId,
    field,
    recorded,
    server,
    accept: acceptField(license.id, field, recorded, server),
  };
}

export const qlmSourceReconciler: SourceReconciler<ServerLicense[]> = {
  vendor: 'qlm',
  read: (ctx, source, opts) => qlmHoldings(ctx, source, opts.signal ? { signal: opts.signal } : {}),
  compare(records, source, holdings): Findings {
    const local = records.data.licenses.filter((l) => l.vendor === 'qlm' && l.sourceId === source.id);
    const byId = new Map(local.map((l) => [l.id, l]));
    const r = compareQlm(local, holdings);
    const clients = clientIndex(records.data.clients);
    return {
      same: r.same,
      changed: r.changed.map((c) => finding(byId.get(c.licenseId)!, c)),
      serverOnly: r.serverOnly.map((s) => {
        const clientId = matchClient(clients, s.company ?? null, s.email ?? null);
        return {
          vendor: 'qlm',
          key: s.key,
          sourceId: source.id,
          product: s.product,
          expiresAt: s.expiresAt,
          add: {
            vendor: 'qlm',
            key: s.key,
            sourceId: source.id,
            ...(clientId ? { clientId } : {}),
            product: s.product,
            limits: s.seats !== undefined ? { seats: s.seats } : {},
            expiresAt: s.expiresAt,
            ...(s.maintenanceExpiresAt !== undefined ? { maintenanceExpiresAt: s.maintenanceExpiresAt } : {}),
            origin: 'qlm-server',
            status: s.revoked ? 'revoked' : 'active',
            details: { productId: s.productId ?? null, majorVersion: s.majorVersion ?? null, minorVersion: s.minorVersion ?? null, userCompany: s.company ?? null, userEmail: s.email ?? null },
          },
        };
      }),
      localOnly: r.localOnly.map((l) => ({ vendor: 'qlm', key: l.key, licenseId: l.id, sourceId: source.id })),
    };
  },
};
