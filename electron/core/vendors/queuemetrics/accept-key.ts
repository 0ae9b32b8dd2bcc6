import type { Context } from '../../context.ts';
import type { Instance } from '../../store/schema.ts';
import type { CallOptions } from '../types.ts';
import { KeyfleetError } from '../../errors.ts';
import { describeReading, readInstance } from '../../services/instance-check.ts';
import { findInstance } from '../../services/instances.ts';
import { recordRunningKey } from './running-key.ts';

/**
 * Accept the key a drifted QueueMetrics instance runs as the one recorded for it: read it now,
 * record it, and mark the licenses it no longer runs superseded. A stored license with that key
 * and no instance is attached to it; one recorded for another instance is not moved (refused).
 */
export async function acceptRunningKey(ctx: Context, ref: string, opts: CallOptions = {}): Promise<{ instance: Instance; key: string | null; superseded: number }> {
  const instance = findInstance(ctx, ref);
  if (instance.kind !== 'queuemetrics') {
    throw new KeyfleetError('BAD_INPUT', `instance ${instance.name} is ${instance.kind}: only QueueMetrics instances are compared with a recorded key`);
  }
  const started = Date.now();
  const reading = await readInstance(ctx, instance, opts);
  if (reading.kind !== 'queuemetrics') throw new KeyfleetError('INTERNAL', `instance ${instance.name} answered as ${reading.kind}`);
  const key = reading.key;
  const owner = key ? ctx.store.data.licenses.find((l) => l.vendor === 'queuemetrics' && l.key === key && l.instanceId !== undefined && l.instanceId !== instance.id) : undefined;
  if (owner) {
    const other = ctx.store.data.instances.find((i) => i.id === owner.instanceId);
    throw new KeyfleetError(
      'CONFLICT',
      `instance ${instance.name} runs the key recorded for instance ${other?.name ?? owner.instanceId} (license ${owner.id}); a license belongs to one instance. If the two are one server added twice, remove one of them`,
      { license: owner.id, instance: other?.name ?? null },
    );
  }
  const at = ctx.now().toISOString();
  let superseded = 0;
  ctx.store.update((d) => {
    const recorded = recordRunningKey(d, instance.id, key, at);
    superseded = recorded.superseded;
    const instances = recorded.instances.map((i) => (i.id === instance.id ? { ...i, lastCheck: { at, ok: true, durationMs: Date.now() - started } } : i));
    return { ...d, licenses: recorded.licenses, instances };
  });
  ctx.journal.append({
    action: 'instance.accept-key',
    target: instance.name,
    instanceId: instance.id,
    outcome: 'ok',
    summary: `${describeReading(reading)} is now the key recorded for it${superseded ? `; ${superseded} license(s) it no longer runs marked superseded` : ''}`,
  });
  return { instance: ctx.store.data.instances.find((i) => i.id === instance.id)!, key, superseded };
}
