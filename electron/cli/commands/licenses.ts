import type { Command } from '../framework.ts';
import { int, str, table } from '../framework.ts';
import { KeyfleetError } from '../../core/errors.ts';
import { driftAdvice } from '../next-steps.ts';
import { VENDORS, namesOr } from '../../core/vendor-names.ts';

// Services are imported inside run(): a process runs one command, and loading what every
// command needs would be most of its start-up. Only types and tiny pure helpers are imported here.

export const commands: Command[] = [
  {
    path: ['licenses'],
    usage: 'licenses [--expiring-within DAYS] [--vendor V] [--client C]',
    summary: 'every stored license, soonest expiry first, and the instances that drifted',
    help: [
      'STATUS: active, expiring (within the longest reminder stage), expired, revoked, superseded, or',
      'not-running: a QueueMetrics key recorded on an instance that ran another key when last checked.',
      'JSON: {"licenses":[…],"drift":[{"instance","state","next"}]}; each license also has "drift", its',
      'instance\'s state (null, "differs" or "unknown-key"). The text lists each drift with the command to run.',
      'ORIGIN (JSON "origin"): ppk, qlm (created here), imported, qlm-server, instance, adopted (a key an',
      'instance already ran, its facts from the key server or a file) or manual (facts entered by hand).',
    ].join('\n'),
    options: { 'expiring-within': { type: 'string' }, vendor: { type: 'string' }, client: { type: 'string' } },
    async run(ctx, { values }) {
      const vendor = str(values, 'vendor');
      if (vendor && !(VENDORS as readonly string[]).includes(vendor)) throw new KeyfleetError('BAD_INPUT', `--vendor must be ${namesOr(VENDORS)}`);
      const client = str(values, 'client');
      const [{ listLicenses }, { findByRef }, { driftEntries }, { ORIGIN_LABELS }] = await Promise.all([
        import('../../core/services/licenses.ts'),
        import('../../core/services/lookup.ts'),
        import('../../core/vendors/queuemetrics/drift.ts'),
        import('../../core/store/schema.ts'),
      ]);
      const licenses = listLicenses(ctx, {
        expiringWithin: int(values, 'expiring-within', [0, 100_000]),
        vendor: vendor as never,
        clientId: client ? findByRef(ctx.store.data.clients, client, 'client').id : undefined,
      });
      // Drift beside the licenses: a drifted instance may run a key no license here describes.
      const drift = driftEntries(ctx.store.data).map((d) => ({ instance: d.instance, state: d.state, runningKeyOf: d.runningKeyOf, recordedLicense: d.recordedLicenseId, next: driftAdvice(d) }));
      return {
        json: { licenses, drift },
        get text() {
          const advice = drift.map((d) => `\nDRIFT ${d.instance} (${d.state}): ${d.next}`).join('');
          return (licenses.length
            ? table(
                ['EXPIRES', 'DAYS', 'STATUS', 'VENDOR', 'PRODUCT', 'CLIENT', 'INSTANCE', 'ORIGIN'],
                licenses.map((l) => [l.expiresAt ?? 'never', l.daysLeft, l.status, l.vendor, l.product, l.client, l.instance, ORIGIN_LABELS[l.origin]]),
              )
            : 'no licenses') + advice;
        },
      };
    },
  },
];
