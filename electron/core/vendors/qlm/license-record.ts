import type { License } from '../../store/schema.ts';
import { newId } from '../../ids.ts';

/**
 * A license the QLM License Server holds that Keyfleet has not recorded yet, before its facts are
 * filled in: imported from QLM, active until the server says otherwise.
 */
export function newServerLicense(key: string, sourceId: string, now: string): License {
  return {
    id: newId('lic'),
    vendor: 'qlm',
    key,
    sourceId,
    product: '',
    limits: {},
    expiresAt: null,
    origin: 'qlm-server',
    status: 'active',
    replaces: [],
    createdAt: now,
    updatedAt: now,
  };
}

/** The keys Keyfleet records for one License Server: what is read one by one when the server will not list. */
export function recordedQlmKeys(licenses: readonly License[], sourceId: string): string[] {
  return licenses.filter((l) => l.vendor === 'qlm' && l.sourceId === sourceId).map((l) => l.key);
}
