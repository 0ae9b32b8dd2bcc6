import fs from 'node:fs';
import type { Command } from '../framework.ts';
import { int, requireStr, str, table } from '../framework.ts';
import { stringOptions } from '../command-shapes.ts';
import { KeyfleetError } from '../../core/errors.ts';
import { withCliNextSteps, withNextSteps } from '../next-steps.ts';

// Services are imported inside run(): a process runs one command, and loading what every
// command needs would be most of its start-up. Only types and tiny pure helpers are imported here.

export const commands: Command[] = [
  {
    path: ['ppk', 'add'],
    usage: 'ppk add PPK… | --file F [--converted]',
    summary: 'add pre-purchased keys to stock (duplicates skipped, malformed ones rejected); --converted: converted before Keyfleet',
    help: [
      'A PPK is written ID:PRODUCT-AGENTS/SERVERS/DAYS, e.g. XQI-LOWAY-74KKMREX6TOH1:QM-50/1/90: a QueueMetrics',
      '(QM) key for 50 agents on 1 server, valid 90 days from the day it is converted. The ID is letters,',
      'digits, dots, dashes and underscores; sizes are whole numbers above zero. --file reads one PPK a line.',
      'Each PPK is checked offline; a malformed one is listed with the reason and nothing else is refused.',
      '--converted: PPKs converted before Keyfleet, whose keys already run on instances. They are kept apart',
      'from the stock (never suggested, activated or counted as stock) and only asked of the key server again',
      'to adopt the key an instance runs: keyfleet instance adopt NAME --ppk PPK, or instance adopt --all-converted.',
      'A PPK already in stock and never converted by Keyfleet is marked converted too (JSON "marked").',
    ].join('\n'),
    options: { file: { type: 'string' }, converted: { type: 'boolean' } },
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
      const { addPpks } = await import('../../core/vendors/queuemetrics/ppk-stock.ts');
      const result = addPpks(ctx, text, { converted: Boolean(values.converted) });
      const lines = [
        `added ${result.added}${values.converted ? ' converted before Keyfleet' : ''}${result.marked ? `, marked ${result.marked} in stock as converted` : ''}, skipped ${result.skipped} duplicate(s), rejected ${result.rejected.length}`,
      ];
      if (values.converted && result.added + result.marked > 0) lines.push('adopt their keys on the instances that run them: keyfleet instance adopt --all-converted');
      for (const r of result.rejected) lines.push(`  rejected ${r.ppk}: ${r.reason}`);
      return { json: result, text: lines.join('\n'), ...(result.added + result.marked === 0 && result.rejected.length > 0 ? { exitCode: 2 } : {}) };
    },
  },
  {
    path: ['ppk', 'list'],
    usage: 'ppk list [--stock]',
    summary: 'the PPK stock, parsed offline (--stock: grouped with counts and low-stock flags)',
    help: [
      'STATE is in-stock, converted (key stored, not installed), "converted before Keyfleet" (added with',
      '--converted: never spent, only adopted; JSON "convertedElsewhere": true), installed, refused (the key',
      'server answered S:KO; its words are shown and the PPK is no longer picked), or "held for NAME" (a conversion for NAME',
      'may have reached the key server without an answer: only NAME can have it, see keyfleet ppk release).',
      '--stock groups PPKs by product, agents, servers and days: GROUP is the name `ppk threshold` takes',
      '(e.g. QM-50/1/90); LOW marks a group with as many in stock as its threshold or fewer. TO ADOPT, shown',
      'when there are any, counts PPKs converted before Keyfleet whose keys are not adopted yet.',
    ].join('\n'),
    options: { stock: { type: 'boolean' } },
    async run(ctx, { values }) {
      const { ppkStock, ppkViews } = await import('../../core/vendors/queuemetrics/ppk-stock.ts');
      if (values.stock) {
        const groups = ppkStock(ctx);
        // PPKs converted before Keyfleet, not adopted yet: a column only when there are any.
        const toAdopt = groups.some((g) => g.convertedElsewhere > 0);
        return {
          json: { groups },
          text: groups.length
            ? table(
                ['GROUP', 'DESCRIPTION', 'IN STOCK', 'CONVERTED', 'INSTALLED', 'REFUSED', ...(toAdopt ? ['TO ADOPT'] : []), 'WARN AT', 'LOW'],
                groups.map((g) => [g.key, g.label, g.inStock, g.converted, g.installed, g.refused, ...(toAdopt ? [g.convertedElsewhere] : []), g.threshold, g.low ? 'LOW' : '']),
              )
            : 'no PPKs: keyfleet ppk add PPK…',
        };
      }
      const ppks = ppkViews(ctx);
      const state = (p: (typeof ppks)[number]) =>
        p.heldFor ? `held for ${p.heldFor}` : p.state === 'refused' ? `refused: ${p.refusal?.message ?? ''}` : p.convertedElsewhere ? `converted before Keyfleet${p.instance ? ', adopted' : ''}` : p.state;
      return {
        json: {
          ppks: ppks.map((p) => ({
            ppk: p.ppk,
            product: p.product,
            agents: p.agents,
            servers: p.servers,
            days: p.days,
            state: p.state,
            convertedElsewhere: p.convertedElsewhere,
            heldFor: p.heldFor,
            refusal: p.refusal,
            id: p.id,
            instance: p.instance,
            expiresAt: p.conversion?.expiresAt ?? null,
          })),
        },
        get text() {
          if (!ppks.length) return 'no PPKs in stock: keyfleet ppk add PPK…';
          const lines = [table(['PPK', 'PRODUCT', 'AGENTS', 'SERVERS', 'DURATION', 'STATE', 'INSTANCE'], ppks.map((p) => [p.ppk, p.productName, p.agents, p.servers, p.durationLabel, state(p), p.instance]))];
          if (ppks.some((p) => p.heldFor)) lines.push('', 'a held PPK converts only for the end-user named; if the key server made no key from it: keyfleet ppk release PPK');
          return lines.join('\n');
        },
      };
    },
  },
  {
    path: ['ppk', 'threshold'],
    usage: 'ppk threshold GROUP N|default',
    summary: 'low-stock warning threshold for one stock group, e.g. QM-50/1/90 (default: the global setting)',
    help: [
      'GROUP is PRODUCT-AGENTS/SERVERS/DAYS, as the GROUP column of `keyfleet ppk list --stock` shows it.',
      'A group is LOW when it has N or fewer PPKs in stock. Without a threshold of its own a group uses the',
      'global one (2 unless changed in the app\'s Settings); "default" goes back to it.',
    ].join('\n'),
    positionals: [2, 2],
    async run(ctx, { positionals }) {
      const [group, value] = positionals as [string, string];
      let threshold: number | null = null;
      if (value !== 'default') {
        if (!/^\d+$/.test(value)) throw new KeyfleetError('BAD_INPUT', `threshold must be a whole number or "default", got "${value}"`);
        threshold = Number(value);
      }
      const { ppkStock, setStockThreshold } = await import('../../core/vendors/queuemetrics/ppk-stock.ts');
      setStockThreshold(ctx, group, threshold);
      const g = ppkStock(ctx).find((x) => x.key === group)!;
      return { json: { group: g }, text: `${g.key} (${g.label}): warn at ${g.threshold} or fewer in stock (now ${g.inStock})${g.low ? ' — LOW' : ''}` };
    },
  },
  {
    path: ['ppk', 'convert'],
    usage: 'ppk convert PPK --enduser NAME --email E [--source NAME] [--client C]',
    summary: 'convert a PPK on the Loway key server and store the key',
    help: [
      'PPK: as in stock (ID:PRODUCT-AGENTS/SERVERS/DAYS, see keyfleet ppk add --help). The key is written to',
      'keys.jsonl the moment it arrives; a PPK converted before returns its stored key without a request.',
      '--enduser becomes the key\'s name on the QueueMetrics License page; --email receives Loway\'s note.',
      'A request that may have reached the key server unanswered holds the PPK for that end-user (converting',
      'it again for them gets the same key back; keyfleet ppk release frees it). An S:KO answer marks the PPK',
      'refused, with the server\'s words, and it is no longer chosen from stock.',
    ].join('\n'),
    options: { enduser: { type: 'string' }, email: { type: 'string' }, source: { type: 'string' }, client: { type: 'string' } },
    positionals: [1, 1],
    async run(ctx, { positionals, values }) {
      const client = str(values, 'client');
      const clientId = client ? ctx.store.data.clients.find((c) => c.id === client || c.name.toLowerCase() === client.toLowerCase())?.id : undefined;
      if (client && !clientId) throw new KeyfleetError('NOT_FOUND', `no client named "${client}"`);
      const [{ convertPpk }, { licenseView }, { maskKey }] = await Promise.all([
        import('../../core/vendors/queuemetrics/activation.ts'),
        import('../../core/api/views.ts'),
        import('../../core/vendors/queuemetrics/client.ts'),
      ]);
      const { license, ppk, fresh } = await withNextSteps(() =>
        convertPpk(ctx, { ppk: positionals[0]!, enduser: requireStr(values, 'enduser'), email: requireStr(values, 'email'), source: str(values, 'source'), clientId }),
      );
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
    help: [
      'Without a PPK, the one spent is chosen from stock and named with the reason before anything is spent:',
      'the same agents and servers as the instance\'s current license, else the smallest at least as large,',
      'else the smallest in stock. Refused PPKs and PPKs held for another end-user are never chosen.',
      'The end-user defaults to the instance\'s client, the e-mail to the key source\'s, then the client\'s.',
      'The instance is checked first (nothing is spent on one that refuses the login); the QueueMetrics user',
      'needs the security keys ROBOT and KEYUPDATE (QueueMetrics ships a disabled "keyupdater" user for this).',
      'If installing fails after the conversion, the key stays stored: keyfleet ppk install LICENSE --instance NAME.',
      '--yes confirms a key that expires earlier or allows fewer agents/servers than the installed one.',
    ].join('\n'),
    options: {
      ...stringOptions('instance', 'enduser', 'email', 'source', 'timeout-s'),
      yes: { type: 'boolean' },
    },
    positionals: [0, 1],
    async run(ctx, { positionals, values, progress }) {
      const timeout = int(values, 'timeout-s', [5, 3600]);
      const [{ activatePpk }, { licenseView }, { maskKey }] = await Promise.all([
        import('../../core/vendors/queuemetrics/activation.ts'),
        import('../../core/api/views.ts'),
        import('../../core/vendors/queuemetrics/client.ts'),
      ]);
      const out = await withNextSteps(() =>
        activatePpk(ctx, {
          ppk: positionals[0],
          instance: requireStr(values, 'instance'),
          enduser: str(values, 'enduser'),
          email: str(values, 'email'),
          source: str(values, 'source'),
          confirm: Boolean(values.yes),
          onProgress: (p) => progress(`${p.step}: ${p.message}`),
          ...(timeout ? { installTimeoutMs: timeout * 1000 } : {}),
        }),
      );
      const license = licenseView(ctx, out.license.id);
      return {
        json: { license, installed: out.installed, verified: out.verified, ppk: out.ppk.ppk, chosen: out.choice, warnings: out.warnings },
        text:
          (out.choice ? `PPK ${out.choice.ppk} (chosen: ${out.choice.reason})\n` : '') +
          `installed on ${license.instance}: key ${maskKey(license.key)}, expires ${license.expiresAt}${out.verified ? ' (verified)' : ' (not verified)'}`,
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
      const { activateBulk } = await import('../../core/vendors/queuemetrics/bulk-activation.ts');
      const result = await activateBulk(ctx, {
        items,
        confirm: Boolean(values.yes),
        concurrency: int(values, 'concurrency', [1, 256]),
        onPlan: (plan) => {
          for (const p of plan) if (p.ppk && p.reason) progress(`${p.instance}: PPK ${p.ppk} (chosen: ${p.reason})`);
        },
        onProgress: (p) => progress(`${p.done}/${p.total}: ${p.current ?? ''}`),
        ...(timeout ? { installTimeoutMs: timeout * 1000 } : {}),
      });
      const cliMessage = (error: { code: string; message: string; nextSteps?: unknown }) =>
        (withCliNextSteps(new KeyfleetError('INTERNAL', error.message, { nextSteps: error.nextSteps })) as Error).message;
      return {
        json: result,
        text: `${result.ok} activated, ${result.failed} failed${result.results.filter((r) => !r.ok).map((r) => `\n  ${r.instance}: ${r.error ? cliMessage(r.error) : ''}`).join('')}`,
        ...(result.failed > 0 ? { exitCode: 1 } : {}),
      };
    },
  },
  {
    path: ['ppk', 'install'],
    usage: 'ppk install LICENSE|PPK --instance NAME [--yes] [--timeout-s N]',
    summary: 'install a stored key (after a failed activation) without spending another PPK',
    help: [
      'LICENSE is a license id (as ppk activate\'s error names it), a stored key, or the PPK it came from.',
      'Also puts a recorded key back on an instance that drifted. --timeout-s (5-3600) is how long to wait',
      'for QueueMetrics to restart and answer again; --yes confirms a key that expires earlier or allows',
      'fewer agents or servers than the installed one.',
    ].join('\n'),
    options: { instance: { type: 'string' }, yes: { type: 'boolean' }, 'timeout-s': { type: 'string' } },
    positionals: [1, 1],
    async run(ctx, { positionals, values, progress }) {
      const timeout = int(values, 'timeout-s', [5, 3600]);
      const [{ installStoredKey }, { licenseView }] = await Promise.all([import('../../core/vendors/queuemetrics/activation.ts'), import('../../core/api/views.ts')]);
      const out = await withNextSteps(() =>
        installStoredKey(ctx, {
          license: positionals[0]!,
          instance: requireStr(values, 'instance'),
          confirm: Boolean(values.yes),
          onProgress: (p) => progress(`${p.step}: ${p.message}`),
          ...(timeout ? { installTimeoutMs: timeout * 1000 } : {}),
        }),
      );
      const license = licenseView(ctx, out.license.id);
      return { json: { license, installed: out.installed, verified: out.verified }, text: `installed on ${license.instance}: expires ${license.expiresAt}${out.verified ? ' (verified)' : ''}` };
    },
  },
  {
    path: ['ppk', 'release'],
    usage: 'ppk release PPK',
    summary: 'release a PPK held for an end-user, when the key server made no key from it',
    help: [
      'A PPK is held for an end-user when a conversion request for them may have reached the key server and',
      'no answer came back (a crash, a timeout, a lost connection): the server may have made its key out to',
      'them, so Keyfleet converts it only for them (`keyfleet ppk convert PPK --enduser NAME --email E` gets',
      'that key back). A request that never left this machine holds nothing. Release the hold only when you',
      'know the server made no key from it (Loway can tell); the PPK is then in stock for anyone.',
    ].join('\n'),
    positionals: [1, 1],
    async run(ctx, { positionals }) {
      const [{ findPpk, ppkView }, { releasePpkHold }] = await Promise.all([import('../../core/vendors/queuemetrics/ppk-stock.ts'), import('../../core/services/key-receipts.ts')]);
      const ppk = findPpk(ctx, positionals[0]!);
      const request = releasePpkHold(ctx, ppk);
      const view = ppkView(ctx, ppk);
      return { json: { ppk: { ppk: view.ppk, state: view.state, heldFor: view.heldFor }, released: { enduser: request.enduser, requestedAt: request.at } }, text: `released ${view.ppk} (was held for ${request.enduser}); it is in stock for anyone` };
    },
  },
];
