import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { listHistory } from '../../electron/core/services/history.ts';
import { seed, seedInstance } from '../e2e/seed.ts';
import { serviceContext } from '../helpers/context.ts';

function withEvents() {
  const ctx = serviceContext();
  seed(ctx, () => ({ instances: [seedInstance('in_1', 'qm-1', 'queuemetrics'), seedInstance('in_2', 'web-1', 'webitel')] }));
  ctx.journal.append({ action: 'instance.add', target: 'qm-1', instanceId: 'in_1', outcome: 'ok' });
  ctx.journal.append({ action: 'instance.check', target: 'qm-1', instanceId: 'in_1', outcome: 'ok' });
  ctx.journal.append({ action: 'instance.add', target: 'web-1', instanceId: 'in_2', outcome: 'ok' });
  ctx.journal.append({ action: 'ppk.install', target: 'qm-1', instanceId: 'in_1', outcome: 'failed' });
  return ctx;
}

describe('listHistory', () => {
  it('reads the journal file newest first, filtered by instance (name or id), action prefix and limit', () => {
    const ctx = withEvents();
    expect(listHistory(ctx).events.map((e) => `${e.action} ${e.target}`)).toEqual(['ppk.install qm-1', 'instance.add web-1', 'instance.check qm-1', 'instance.add qm-1']);
    expect(listHistory(ctx, { instance: 'QM-1', action: 'instance.' }).events.map((e) => e.action)).toEqual(['instance.check', 'instance.add']);
    expect(listHistory(ctx, { instance: 'in_2' }).events).toHaveLength(1);
    expect(listHistory(ctx, { limit: 2 }).events.map((e) => e.action)).toEqual(['ppk.install', 'instance.add']);
  });

  it('an unknown instance is NOT_FOUND naming it', () => {
    expect(() => listHistory(withEvents(), { instance: 'nope' })).toThrow(expect.objectContaining({ code: 'NOT_FOUND', message: 'no instance named "nope"' }));
  });

  it('a damaged line in the journal file is a warning, not a lost history', () => {
    const ctx = withEvents();
    const file = fs.readdirSync(ctx.dataDir).find((f) => f.endsWith('.jsonl') && fs.readFileSync(path.join(ctx.dataDir, f), 'utf8').includes('ppk.install'))!;
    fs.appendFileSync(path.join(ctx.dataDir, file), '{"not json\n');
    const r = listHistory(ctx);
    expect(r.events).toHaveLength(4);
    expect(r.warnings).toHaveLength(1);
  });
});
