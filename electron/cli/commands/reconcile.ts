import type { Command } from '../framework.ts';
import { int, str, table } from '../framework.ts';
import { KeyfleetError } from '../../core/errors.ts';
import { shellWord } from '../../core/shell-word.ts';
import { throttledProgress } from '../progress-throttle.ts';
import { VENDORS } from '../../core/vendor-names.ts';
import type { ReconcileReport } from '../../core/services/reconcile.ts';

// Services are imported inside run(): a process runs one command, and loading what every
// command needs would be most of its start-up. Only types and tiny pure helpers are imported here.

const VENDOR_NAMES: readonly string[] = VENDORS;

/** How the text shows a key (never whole) and a field's value: the core's own formatters. */
interface Shown {
  maskKey(key: string): string;
  showFieldValue(field: string, value: unknown): string;
}

/** The commands that resolve what the report lists, one line each. */
function nextSteps(r: ReconcileReport, vendor: string | undefined): string[] {
  const steps: string[] = [];
  const acceptable = r.changed.filter((c) => !c.blocked).length + r.serverOnly.filter((s) => !s.needsAdoption).length;
  if (acceptable > 0) steps.push(`keyfleet reconcile --accept${vendor ? ` --vendor ${vendor}` : ''}   (take the server's values for ${acceptable} finding(s) into Keyfleet)`);
  for (const s of r.serverOnly) {
    if (!s.needsAdoption || !s.instance) continue;
    const name = shellWord(s.instance);
    steps.push(`keyfleet instance adopt ${name} --ppk PPK   or   keyfleet instance adopt ${name} --expires DATE --agents N --servers N   (${s.instance} runs a key Keyfleet has no license for)`);
  }
  for (const c of r.changed) {
    if (c.blocked && c.instance) steps.push(`keyfleet instance remove ${shellWord(c.instance)}   if it is the same server as another instance (${c.instance}: ${c.blocked})`);
  }
  for (const l of r.localOnly) {
    if (!l.instance) continue;
    if (l.vendor === 'queuemetrics') steps.push(`keyfleet ppk install ${shellWord(l.license)} --instance ${shellWord(l.instance)}   (${l.instance} runs no key: put the recorded one back)`);
    else steps.push(`keyfleet instance check ${shellWord(l.instance)}   (records that ${l.instance} no longer lists license ${l.license})`);
  }
  for (const f of r.failures) steps.push(`fix the connection of ${f.target} (keyfleet ${f.target.startsWith('source ') ? 'source test' : 'instance check'} ${shellWord(f.target.replace(/^(instance|source) /, ''))}) and run keyfleet reconcile again`);
  return [...new Set(steps)];
}

function text(r: ReconcileReport, next: string[], { maskKey, showFieldValue }: Shown): string {
  const shown = (field: string, value: unknown) => (field === 'key' && typeof value === 'string' ? maskKey(value) : showFieldValue(field, value));
  const where = (x: { instance?: string; source?: string }) => x.instance ?? x.source ?? null;
  const lines = [
    `read ${r.checked} server(s) in ${(r.durationMs / 1000).toFixed(1)} s: ${r.same} same, ${r.changed.length} changed elsewhere, ${r.serverOnly.length} on the server only, ${r.localOnly.length} in Keyfleet only` +
      (r.failures.length ? `, ${r.failures.length} could not be read` : '') +
      (r.accepted !== undefined ? `; accepted ${r.accepted}` : ''),
  ];
  if (r.changed.length) {
    lines.push('', 'CHANGED ELSEWHERE', table(['WHERE', 'VENDOR', 'LICENSE', 'KEY', 'FIELD', 'KEYFLEET', 'SERVER'], r.changed.map((c) => [where(c), c.vendor, c.license, maskKey(c.key), c.field, shown(c.field, c.recorded), shown(c.field, c.server)])));
  }
  if (r.serverOnly.length) {
    lines.push('', 'ON THE SERVER ONLY', table(['WHERE', 'VENDOR', 'KEY', 'PRODUCT', 'EXPIRES'], r.serverOnly.map((s) => [where(s), s.vendor, maskKey(s.key), s.product, s.needsAdoption ? 'unknown (adopt it)' : shown('expiresAt', s.expiresAt)])));
  }
  if (r.localOnly.length) {
    lines.push('', 'IN KEYFLEET ONLY', table(['WHERE', 'VENDOR', 'LICENSE', 'KEY'], r.localOnly.map((l) => [where(l), l.vendor, l.license, maskKey(l.key)])));
  }
  if (r.failures.length) {
    lines.push('', 'COULD NOT BE READ', ...r.failures.map((f) => `  ${f.target}: ${f.error.message}`));
  }
  lines.push('', next.length ? `next:\n${next.map((s) => `  ${s}`).join('\n')}` : 'everything Keyfleet records matches the servers');
  return lines.join('\n');
}

export const commands: Command[] = [
  {
    path: ['reconcile'],
    usage: `reconcile [--vendor ${VENDORS.join('|')}] [--accept] [--concurrency N] [--per-host N]`,
    summary: 'compare what Keyfleet records with what each server holds now; --accept takes the server\'s values',
    help: [
      'Reads every instance and every QLM License Server now, without storing what it reads, and lists: the same;',
      'changed elsewhere (expiry, limits, status, another key on a QueueMetrics instance); on the server only;',
      'in Keyfleet only; and the servers that could not be read.',
      '--accept takes the server\'s values for every change and adds the licenses only a server holds, each',
      'with a "changed outside Keyfleet" event. A key a QueueMetrics instance runs that no license has is',
      'never added here: its expiry and limits are unknown (keyfleet instance adopt NAME …).',
      'JSON: {"same","changed":[{"license","key","vendor","instance","field","recorded","server"}],',
      '"serverOnly":[{"vendor","key","instance"}],"localOnly":[{"vendor","key","license","instance"}],',
      '"failures":[{"target","error"}],"next":[…]} (and "accepted" with --accept).',
      'Exit 0 when everything matches; 1 when anything differs or a server could not be read (after',
      '--accept: by what remains); 2 bad usage.',
    ],
    options: { vendor: { type: 'string' }, accept: { type: 'boolean' }, concurrency: { type: 'string' }, 'per-host': { type: 'string' } },
    async run(ctx, { values, progress }) {
      const vendor = str(values, 'vendor');
      if (vendor !== undefined && !VENDOR_NAMES.includes(vendor)) throw new KeyfleetError('BAD_INPUT', `--vendor must be ${VENDOR_NAMES.join(', ')}; got "${vendor}"`);
      const [{ reconcile, reconciled }, { maskKey }, { showFieldValue }] = await Promise.all([
        import('../../core/services/reconcile.ts'),
        import('../../core/vendors/queuemetrics/client.ts'),
        import('../../core/vendors/reconciler.ts'),
      ]);
      const report = throttledProgress(progress);
      const result = await reconcile(ctx, {
        vendor: vendor as never,
        accept: values.accept === true,
        concurrency: int(values, 'concurrency', [1, 1024]),
        perHost: int(values, 'per-host', [1, 64]),
        onProgress: (p) => report(`read ${p.done}/${p.total} (${p.failed} failed)`, p.done === p.total),
      });
      const next = nextSteps(result, vendor);
      return {
        json: { ...result, next },
        get text() {
          return text(result, next, { maskKey, showFieldValue });
        },
        ...(reconciled(result) ? {} : { exitCode: 1 }),
      };
    },
  },
];
