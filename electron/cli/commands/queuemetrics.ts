import fs from 'node:fs';
import type { Command } from '../framework.ts';
import { int, requireStr, str, table } from '../framework.ts';
import { KeyfleetError } from '../../core/errors.ts';

// Services are imported inside each command's run(): a process runs one command, and loading
// what every command here needs (activation, vendor clients, the key journal) would be most of
// its start-up. Only types and tiny pure helpers are imported above.

export const queueMetricsCommands: Command[] = [
  {
    path: ['ppk', 'add'],
    usage: 'ppk add PPK… | --file F',
    summary: 'add pre-purchased keys to stock (duplicates skipped, malformed ones rejected)',
    options: { file: { type: 'string' } },
    positionals: [0, Number.POSITIVE_INFINITY],
    async run(ctx, { positionals, values }) {
      const file = str(values, 'file');
      if (!file && positionals.length === 0) throw new KeyfleetError('BAD_INPUT', 'give PPKs as arguments or --file F');
      let text = positionals.join('\n');
      if (file) {
        try {
          text += `\n${fs.readFileSync(file, 'utf8')}`;
        } catch (e) {
          throw new KeyfleetError('BAD_INPUT', `cannot read ${file}: ${(e as Error).message}`);
        }
      }
      const { addPpks } = await import('../../core/services/ppk.ts');
      const result = addPpks(ctx, text);
      const lines = [`added ${result.added}, skipped ${result.skipped} duplicate(s), rejected ${result.rejected.length}`];
      for (const r of result.rejected) lines.push(`  rejected ${r.ppk}: ${r.reason}`);
      return { json: result, text: lines.join('\n'), ...(result.added === 0 && result.rejected.length > 0 ? { exitCode: 2 } : {}) };
    },
  },
  {
    path: ['ppk', 'list'],
    usage: 'ppk list [--stock]',
    summary: 'the PPK stock, parsed offline (--stock: grouped with counts)',
    options: { stock: { type: 'boolean' } },
    async run(ctx, { values }) {
      const { ppkStock, ppkViews } = await import('../../core/services/ppk.ts');
      if (values.stock) {
        const groups = ppkStock(ctx);
        return {
          json: { groups },
          text: groups.length ? table(['GROUP', 'IN STOCK', 'CONVERTED', 'INSTALLED', 'LOW'], groups.map((g) => [g.label, g.inStock, g.converted, g.installed, g.low ? 'LOW' : ''])) : 'no PPKs',
        };
      }
      const ppks = ppkViews(ctx);
      return {
        json: { ppks: ppks.map((p) => ({ ppk: p.ppk, product: p.product, agents: p.agents, servers: p.servers, days: p.days, state: p.state, heldFor: p.heldFor, id: p.id, instance: p.instance, expiresAt: p.conversion?.expiresAt ?? null })) },
        get text() {
          return ppks.length ? table(['PPK', 'PRODUCT', 'AGENTS', 'SERVERS', 'DURATION', 'STATE', 'INSTANCE'], ppks.map((p) => [p.ppk, p.productName, p.agents, p.servers, p.durationLabel, p.heldFor ? `held for ${p.heldFor}` : p.state, p.instance])) : 'no PPKs in stock: keyfleet ppk add PPK…';
        },
      };
    },
  },
  {
    path: ['ppk', 'threshold'],
    usage: 'ppk threshold GROUP N|default',
    summary: 'low-stock warning threshold for one stock group, e.g. QM-50/1/90 (default: the global setting)',
    positionals: [2, 2],
    async run(ctx, { positionals }) {
      const [group, value] = positionals as [string, string];
      let threshold: number | null = null;
      if (value !== 'default') {
        if (!/^\d+$/.test(value)) throw new KeyfleetError('BAD_INPUT', `threshold must be a whole number or "default", got "${value}"`);
        threshold = Number(value);
      }
      const { ppkStock, setStockThreshold } = await import('../../core/services/ppk.ts');
      setStockThreshold(ctx, group, threshold);
      const g = ppkStock(ctx).find((x) => x.key === group)!;
      return { json: { group: g }, text: `${g.label}: warn at ${g.threshold} or fewer in stock (now ${g.inStock})${g.low ? ' — LOW' : ''}` };
    },
  },
  {
    path: ['ppk', 'convert'],
    usage: 'ppk convert PPK --enduser NAME --email E [--source NAME] [--client C]',
    summary: 'convert a PPK on the Loway key server and store the key',
    options: { enduser: { type: 'string' }, email: { type: 'string' }, source: { type: 'string' }, client: { type: 'string' } },
    positionals: [1, 1],
    async run(ctx, { positionals, values }) {
      const client = str(values, 'client');
      const clientId = client ? ctx.store.data.clients.find((c) => c.id === client || c.name.toLowerCase() === client.toLowerCase())?.id : undefined;
      if (client && !clientId) throw new KeyfleetError('NOT_FOUND', `no client named "${client}"`);
      const [{ convertPpk }, { licenseView }, { maskKey }] = await Promise.all([
        import('../../core/services/activation.ts'),
        import('../../core/api/views.ts'),
        import('../../core/vendors/queuemetrics.ts'),
      ]);
      const { license, ppk, fresh } = await convertPpk(ctx, { ppk: positionals[0]!, enduser: requireStr(values, 'enduser'), email: requireStr(values, 'email'), source: str(values, 'source'), clientId });
      return {
        json: { license: { ...licenseView(ctx, license.id), issuedAt: ppk.conversion?.issuedAt ?? null }, converted: fresh },
        text: `${fresh ? 'converted' : 'already converted'}: key ${maskKey(license.key)} expires ${license.expiresAt}\n${license.key}`,
      };
    },
  },
  {
    path: ['ppk', 'activate'],
    usage: 'ppk activate [PPK] --instance NAME [--enduser NAME] [--email E] [--source NAME] [--yes] [--timeout-s N]',
    summary: 'convert a PPK, install it with QM.setActivationKey and read it back (no PPK: the best match in stock)',
    options: {
      instance: { type: 'string' },
      enduser: { type: 'string' },
      email: { type: 'string' },
      source: { type: 'string' },
      yes: { type: 'boolean' },
      'timeout-s': { type: 'string' },
    },
    positionals: [0, 1],
    async run(ctx, { positionals, values, progress }) {
      const timeout = int(values, 'timeout-s', [5, 3600]);
      const [{ activatePpk }, { licenseView }, { maskKey }] = await Promise.all([
        import('../../core/services/activation.ts'),
        import('../../core/api/views.ts'),
        import('../../core/vendors/queuemetrics.ts'),
      ]);
      const out = await activatePpk(ctx, {
        ppk: positionals[0],
        instance: requireStr(values, 'instance'),
        enduser: str(values, 'enduser'),
        email: str(values, 'email'),
        source: str(values, 'source'),
        confirm: Boolean(values.yes),
        onProgress: (p) => progress(`${p.step}: ${p.message}`),
        ...(timeout ? { installTimeoutMs: timeout * 1000 } : {}),
      });
      const license = licenseView(ctx, out.license.id);
      return {
        json: { license, installed: out.installed, verified: out.verified, ppk: out.ppk.ppk, warnings: out.warnings },
        text: `installed on ${license.instance}: key ${maskKey(license.key)}, expires ${license.expiresAt}${out.verified ? ' (verified)' : ' (not verified)'}`,
      };
    },
  },
  {
    path: ['ppk', 'activate-many'],
    usage: 'ppk activate-many --instance NAME[=PPK]… | --file F [--yes] [--concurrency N] [--timeout-s N]',
    summary: 'activate PPKs on many QueueMetrics instances at once (best PPK in stock for each unless given)',
    options: { instance: { type: 'string', multiple: true }, file: { type: 'string' }, yes: { type: 'boolean' }, concurrency: { type: 'string' }, 'timeout-s': { type: 'string' } },
    async run(ctx, { values, progress }) {
      const specs = [...((values.instance as string[] | undefined) ?? [])];
      const file = str(values, 'file');
      if (file) {
        try {
          specs.push(...fs.readFileSync(file, 'utf8').split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#')));
        } catch (e) {
          throw new KeyfleetError('BAD_INPUT', `cannot read ${file}: ${(e as Error).message}`);
        }
      }
      if (specs.length === 0) throw new KeyfleetError('BAD_INPUT', 'give --instance NAME (repeatable, NAME=PPK to choose the PPK) or --file F');
      const items = specs.map((s) => {
        const [instance, ppk] = s.split('=', 2).map((x) => x.trim());
        return { instance: instance!, ...(ppk ? { ppk } : {}) };
      });
      const timeout = int(values, 'timeout-s', [5, 3600]);
      const { activateBulk } = await import('../../core/services/bulk-activation.ts');
      const result = await activateBulk(ctx, {
        items,
        confirm: Boolean(values.yes),
        concurrency: int(values, 'concurrency', [1, 256]),
        onProgress: (p) => progress(`${p.done}/${p.total}: ${p.current ?? ''}`),
        ...(timeout ? { installTimeoutMs: timeout * 1000 } : {}),
      });
      return {
        json: result,
        text: `${result.ok} activated, ${result.failed} failed${result.results.filter((r) => !r.ok).map((r) => `\n  ${r.instance}: ${r.error?.message}`).join('')}`,
        ...(result.failed > 0 ? { exitCode: 1 } : {}),
      };
    },
  },
  {
    path: ['ppk', 'install'],
    usage: 'ppk install LICENSE|PPK --instance NAME [--yes] [--timeout-s N]',
    summary: 'install a stored key (after a failed activation) without spending another PPK',
    options: { instance: { type: 'string' }, yes: { type: 'boolean' }, 'timeout-s': { type: 'string' } },
    positionals: [1, 1],
    async run(ctx, { positionals, values, progress }) {
      const timeout = int(values, 'timeout-s', [5, 3600]);
      const [{ installStoredKey }, { licenseView }] = await Promise.all([import('../../core/services/activation.ts'), import('../../core/api/views.ts')]);
      const out = await installStoredKey(ctx, {
        license: positionals[0]!,
        instance: requireStr(values, 'instance'),
        confirm: Boolean(values.yes),
        onProgress: (p) => progress(`${p.step}: ${p.message}`),
        ...(timeout ? { installTimeoutMs: timeout * 1000 } : {}),
      });
      const license = licenseView(ctx, out.license.id);
      return { json: { license, installed: out.installed, verified: out.verified }, text: `installed on ${license.instance}: expires ${license.expiresAt}${out.verified ? ' (verified)' : ''}` };
    },
  },
  {
    path: ['instance', 'check'],
    usage: 'instance check NAME',
    summary: 'read the license now on the instance and store it',
    positionals: [1, 1],
    async run(ctx, { positionals }) {
      const [{ checkInstance }, { listLicenses }, { instanceView }, { maskKey }] = await Promise.all([
        import('../../core/services/instance-check.ts'),
        import('../../core/services/licenses.ts'),
        import('../../core/api/views.ts'),
        import('../../core/vendors/queuemetrics.ts'),
      ]);
      const { instance, error } = await checkInstance(ctx, positionals[0]!);
      if (error) throw error;
      const licenses = listLicenses(ctx, { instanceId: instance.id });
      const view = instanceView(ctx, instance);
      const license = licenses[0] ?? null;
      return {
        json: { instance: { id: view.id, name: view.name, kind: view.kind, drift: view.drift ?? null, snapshot: view.snapshot ?? null }, license, licenses },
        text:
          `${view.name}: ${view.snapshot?.summary ?? (view.snapshot?.key ? `key ${maskKey(view.snapshot.key)}` : 'no key')}` +
          (view.drift && view.drift !== 'none' ? `\nDRIFT: ${view.drift === 'differs' ? 'the installed key differs from the one Keyfleet installed' : 'the installed key is not one Keyfleet knows'}` : '') +
          (license ? `\n${license.product}: expires ${license.expiresAt ?? 'never'}${license.daysLeft !== null ? ` (${license.daysLeft} days)` : ''}` : ''),
      };
    },
  },
  {
    path: ['refresh'],
    usage: 'refresh [--concurrency N] [--per-host N]',
    summary: 'check every instance (bounded concurrency, per-host limit)',
    options: { concurrency: { type: 'string' }, 'per-host': { type: 'string' } },
    async run(ctx, { values, progress, json }) {
      let last = 0;
      const { refreshInstances } = await import('../../core/services/refresh.ts');
      const result = await refreshInstances(ctx, {
        concurrency: int(values, 'concurrency', [1, 1024]),
        perHost: int(values, 'per-host', [1, 64]),
        onProgress: (p) => {
          if (!json && (p.done === p.total || Date.now() - last > 500)) {
            last = Date.now();
            progress(`checked ${p.done}/${p.total} (${p.failed} failed)`);
          }
        },
      });
      return {
        json: result,
        text: `checked ${result.checked} instance(s) in ${(result.durationMs / 1000).toFixed(1)} s: ${result.ok} ok, ${result.failed} failed${result.failures.map((f) => `\n  ${f.instance}: ${f.error.message}`).join('')}`,
        ...(result.failed > 0 ? { exitCode: 1 } : {}),
      };
    },
  },
];
