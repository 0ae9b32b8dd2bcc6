import type { Command } from '../framework.ts';
import { int } from '../framework.ts';
import { driftAdvice } from '../next-steps.ts';
import { throttledProgress } from '../progress-throttle.ts';

// Services are imported inside run(): a process runs one command, and loading what every
// command needs would be most of its start-up. Only types and tiny pure helpers are imported here.

export const commands: Command[] = [
  {
    path: ['refresh'],
    usage: 'refresh [--concurrency N] [--per-host N]',
    summary: 'check every instance (bounded concurrency, per-host limit); reports failures and drift',
    help: [
      'JSON: {"checked","ok","failed","durationMs","failures":[{"instance","error"}],"drift":[{"instance","state","next"}]}',
      'where state is "differs" or "unknown-key" (see keyfleet instance check --help). Exit 1 when any check',
      'failed; drift alone exits 0 (the check worked) but is listed with the command that resolves it.',
    ].join('\n'),
    options: { concurrency: { type: 'string' }, 'per-host': { type: 'string' } },
    async run(ctx, { values, progress }) {
      const report = throttledProgress(progress);
      const { refreshInstances, UNATTENDED_BATCHING } = await import('../../core/services/refresh.ts');
      const result = await refreshInstances(ctx, {
        ...UNATTENDED_BATCHING,
        concurrency: int(values, 'concurrency', [1, 1024]),
        perHost: int(values, 'per-host', [1, 64]),
        onProgress: (p) => report(`checked ${p.done}/${p.total} (${p.failed} failed)`, p.done === p.total),
      });
      const drift = result.drift.map((d) => ({ instance: d.instance, state: d.state, runningKeyOf: d.runningKeyOf, recordedLicense: d.recordedLicenseId, next: driftAdvice(d) }));
      const { drift: _entries, ...counts } = result;
      return {
        json: { ...counts, drift },
        text:
          `checked ${result.checked} instance(s) in ${(result.durationMs / 1000).toFixed(1)} s: ${result.ok} ok, ${result.failed} failed, ${drift.length} drifted` +
          result.failures.map((f) => `\n  ${f.instance}: ${f.error.message}`).join('') +
          drift.map((d) => `\n  DRIFT ${d.instance} (${d.state}): ${d.next}`).join(''),
        ...(result.failed > 0 ? { exitCode: 1 } : {}),
      };
    },
  },
];
