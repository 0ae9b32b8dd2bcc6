import type { Context } from '../context.ts';
import type { KeyfleetEvent } from '../store/journal.ts';
import { findByRef } from './lookup.ts';

export interface HistoryFilter {
  instance?: string | undefined;
  action?: string | undefined;
  limit?: number | undefined;
}

/** The event log, newest first. */
export function listHistory(ctx: Context, filter: HistoryFilter = {}): { events: KeyfleetEvent[]; warnings: string[] } {
  const { events, warnings } = ctx.journal.read();
  let out = events;
  if (filter.instance) {
    const instanceId = findByRef(ctx.store.data.instances, filter.instance, 'instance').id;
    out = out.filter((e) => e.instanceId === instanceId);
  }
  if (filter.action) out = out.filter((e) => e.action.startsWith(filter.action!));
  out = out.slice().reverse();
  if (filter.limit) out = out.slice(0, filter.limit);
  return { events: out, warnings };
}
