import type { Context } from '../../context.ts';
import type { PpkView } from './queuemetrics.contract.ts';
import { findByRef } from '../../services/lookup.ts';
import { choosePpk, ppkView } from './ppk-stock.ts';

/** The PPK activatePpk would spend on an instance for its client, and why: held and refused PPKs left out. */
export function suggestPpk(ctx: Context, instanceRef: string): { ppk: PpkView | null; reason: string } {
  const target = findByRef(ctx.store.data.instances, instanceRef, 'instance');
  const enduser = target.clientId ? ctx.store.data.clients.find((c) => c.id === target.clientId)?.name : undefined;
  const s = choosePpk(ctx, target.id, enduser);
  return { ppk: s.ppk ? ppkView(ctx, s.ppk) : null, reason: s.reason };
}
