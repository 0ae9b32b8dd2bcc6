// Long by design: the instance noun's commands (add, import, list, show, update, remove, check, accept-key, adopt), each a declaration and its printing; the CLI keeps one file per noun.
import type { Command, CommandArgs } from '../framework.ts';
import { readSecretLine, requireStr, str, table } from '../framework.ts';
import type { LicenseView } from '../../core/api/licenses.contract.ts';
import { driftAdvice } from '../next-steps.ts';
import { ADOPT_CSV, INSTANCE_CSV, csvImportHelp, describeColumns } from '../../core/csv-columns.ts';
import { KeyfleetError } from '../../core/errors.ts';
import { INSTANCE_KINDS } from '../../core/vendor-names.ts';
import { int } from '../framework.ts';
import { withNextSteps } from '../next-steps.ts';
import { contractSchemas, secretStdin } from '../command-input.ts';
import { removeCommand, stringOptions } from '../command-shapes.ts';
import { csvImportText, readCsvFile } from '../csv-import.ts';

// Services are imported inside run(): a process runs one command, and loading what every
// command needs would be most of its start-up. Only types and tiny pure helpers are imported here.

function licenseSummary(l: LicenseView | undefined) {
  return l ? { product: l.product, expiresAt: l.expiresAt, daysLeft: l.daysLeft, status: l.status } : null;
}

/** The flags instance add and instance update share, and the contract fields they fill. */
const connectionOptions = {
  ...stringOptions('url', 'client', 'user', 'credential', 'core-server', 'domain', 'pin'),
  ...secretStdin,
};

function connectionFields(values: CommandArgs['values']) {
  return {
    url: str(values, 'url'),
    client: str(values, 'client'),
    user: str(values, 'user'),
    credential: str(values, 'credential'),
    coreServer: str(values, 'core-server'),
    domainId: str(values, 'domain'),
    pinSha256: str(values, 'pin'),
  };
}

export const commands: Command[] = [
  {
    path: ['instance', 'add'],
    usage: `instance add NAME --kind ${INSTANCE_KINDS.join('|')} --url URL [--client C] [--user U] [--secret-stdin | --credential NAME] [--core-server SLUG] [--domain ID] [--pin SHA256] [--tag T]… [--group G]`,
    summary: 'add an instance; its secret goes to the OS keychain',
    help: [
      'QueueMetrics --url: the webapp, e.g. http://qm.example:8080/queuemetrics (Keyfleet calls its /xmlrpc.do).',
      'A URL with no path (http://host:18082) means the default webapp /queuemetrics on that port; a bare',
      'host:port or dotted host (no http://) means http://host:port/queuemetrics, port 8080 when none is given.',
      'The --user needs the QueueMetrics security keys ROBOT and KEYUPDATE (QueueMetrics ships a "keyupdater"',
      'user for this, disabled by default: enable it and set its password).',
      'One QueueMetrics is one instance: a URL that reaches the same server as an existing instance, however',
      'it is written (http://host:18082 and http://host:18082/queuemetrics), is refused and names that instance.',
    ].join('\n'),
    options: { kind: { type: 'string' }, ...connectionOptions, tag: { type: 'string', multiple: true }, group: { type: 'string' } },
    positionals: [1, 1],
    async run(ctx, { positionals, values, io }) {
      const { validateInput, InstanceInputSchema } = await contractSchemas();
      const input = validateInput(InstanceInputSchema, {
        ...connectionFields(values),
        name: positionals[0],
        kind: requireStr(values, 'kind'),
        url: requireStr(values, 'url'),
        tags: values.tag,
        group: str(values, 'group'),
      });
      const secret = values['secret-stdin'] ? await readSecretLine(io.stdin) : undefined;
      const [{ addInstance }, { instanceView }] = await Promise.all([import('../../core/services/instances.ts'), import('../../core/api/views.ts')]);
      const instance = await addInstance(ctx, { ...input, secret });
      const view = instanceView(ctx, instance);
      return {
        json: { instance: { id: view.id, name: view.name, kind: view.kind, url: view.url, client: view.client, hasSecret: view.hasSecret } },
        text: `added ${view.kind} instance ${view.name} (${view.id})${view.hasSecret ? ', secret stored in the OS keychain' : ''}`,
      };
    },
  },
  {
    path: ['instance', 'update'],
    usage: 'instance update NAME [--name N] [--url URL] [--client C] [--user U] [--secret-stdin | --credential NAME] [--core-server SLUG] [--domain ID] [--pin SHA256 | --clear-pin]',
    summary: 'change an instance',
    options: { name: { type: 'string' }, ...connectionOptions, 'clear-pin': { type: 'boolean' } },
    positionals: [1, 1],
    async run(ctx, { positionals, values, io }) {
      const { validateInput, InstancePatchSchema } = await contractSchemas();
      const patch = validateInput(InstancePatchSchema, {
        ...connectionFields(values),
        name: str(values, 'name'),
        clearPin: Boolean(values['clear-pin']),
      });
      const secret = values['secret-stdin'] ? await readSecretLine(io.stdin) : undefined;
      const [{ updateInstance }, { instanceView }] = await Promise.all([import('../../core/services/instances.ts'), import('../../core/api/views.ts')]);
      const instance = await updateInstance(ctx, positionals[0]!, { ...patch, secret });
      return { json: { instance: instanceView(ctx, instance) }, text: `updated instance ${instance.name}` };
    },
  },
  removeCommand('instance', 'instance', 'remove an instance and its own keychain item', async (ctx, ref) => (await import('../../core/services/instances.ts')).removeInstance(ctx, ref)),
  {
    path: ['instance', 'list'],
    usage: 'instance list',
    summary: 'list instances with their current license and drift',
    help: [
      'DRIFT (JSON "drift"): empty/null, "differs" (it ran a key other than the one Keyfleet recorded for it',
      'at its last check) or "unknown-key" (nothing recorded, and it ran a key no stored license has).',
      'Each drifted instance is listed below the table with the command that resolves it.',
    ].join('\n'),
    async run(ctx) {
      const [{ soonestLicenseByInstance }, { instanceView }, { driftEntries, driftState }] = await Promise.all([
        import('../../core/services/licenses.ts'),
        import('../../core/api/views.ts'),
        import('../../core/vendors/queuemetrics/drift.ts'),
      ]);
      const soonest = soonestLicenseByInstance(ctx);
      const rows = ctx.store.data.instances.map((i) => {
        const v = instanceView(ctx, i);
        return { id: v.id, name: v.name, kind: v.kind, url: v.url, client: v.client, hasSecret: v.hasSecret, drift: driftState(v), lastCheck: v.lastCheck ?? null, license: licenseSummary(soonest.get(i.id)) };
      });
      const drifted = driftEntries(ctx.store.data);
      return {
        json: { instances: rows },
        get text() {
          return rows.length
            ? table(
                ['NAME', 'KIND', 'CLIENT', 'EXPIRES', 'DAYS', 'DRIFT', 'URL'],
                rows.map((r) => [r.name, r.kind, r.client, r.license?.expiresAt ?? (r.license ? 'never' : null), r.license?.daysLeft, r.drift ?? '', r.url]),
              ) + drifted.map((d) => `\nDRIFT ${d.instance} (${d.state}): ${driftAdvice(d)}`).join('')
            : 'no instances yet: keyfleet instance add NAME --kind queuemetrics --url URL';
        },
      };
    },
  },
  {
    path: ['instance', 'import'],
    usage: 'instance import FILE.csv [--secret-stdin] [--valid-only]',
    summary: 'add many instances from CSV (columns name,kind,url,client,user); a bad line imports nothing unless --valid-only',
    help: csvImportHelp(INSTANCE_CSV),
    options: { ...secretStdin, 'valid-only': { type: 'boolean' } },
    positionals: [1, 1],
    async run(ctx, { positionals, values, io }) {
      const bytes = readCsvFile(positionals[0]!);
      const secret = values['secret-stdin'] ? await readSecretLine(io.stdin) : undefined;
      const { importInstancesCsv } = await import('../../core/services/instances-csv.ts');
      const result = await importInstancesCsv(ctx, bytes, { sharedSecret: secret, validOnly: Boolean(values['valid-only']), fileName: positionals[0]! });
      const failed = result.errors.length > 0 && result.imported === 0;
      const summary = `imported ${result.imported} instance(s)${result.clientsCreated ? `, created ${result.clientsCreated} client(s)` : ''}`;
      return {
        json: result,
        text: await csvImportText({ summary, file: positionals[0]!, ...result, command: `instance import${secret ? ' --secret-stdin' : ''}` }),
        ...(failed ? { exitCode: 2 } : {}),
      };
    },
  },
  {
    path: ['instance', 'check'],
    usage: 'instance check NAME',
    summary: 'read the license now on the instance, store it, and compare it with the recorded key (drift)',
    help: [
      'drift (JSON): null, "differs" (it runs a key other than the one Keyfleet recorded for it) or',
      '"unknown-key" (nothing was recorded for it and it runs a key no stored license has); the text names',
      'the command that resolves it. Only QueueMetrics instances drift.',
    ].join('\n'),
    positionals: [1, 1],
    async run(ctx, { positionals }) {
      const [{ checkInstance }, { listLicenses }, { instanceView }, { maskKey }, { driftEntries, driftState }] = await Promise.all([
        import('../../core/services/instance-check.ts'),
        import('../../core/services/licenses.ts'),
        import('../../core/api/views.ts'),
        import('../../core/vendors/queuemetrics/client.ts'),
        import('../../core/vendors/queuemetrics/drift.ts'),
      ]);
      const { instance, error } = await checkInstance(ctx, positionals[0]!);
      if (error) throw error;
      const licenses = listLicenses(ctx, { instanceId: instance.id });
      const view = instanceView(ctx, instance);
      const license = licenses.find((l) => l.status !== 'not-running') ?? licenses[0] ?? null;
      const drift = driftEntries(ctx.store.data, new Set([instance.id]))[0];
      return {
        json: { instance: { id: view.id, name: view.name, kind: view.kind, drift: driftState(view), snapshot: view.snapshot ?? null }, license, licenses, ...(drift ? { next: driftAdvice(drift) } : {}) },
        text:
          `${view.name}: ${view.snapshot?.summary ?? (view.snapshot?.key ? `key ${maskKey(view.snapshot.key)}` : 'no key')}` +
          (drift ? `\nDRIFT (${drift.state}): ${driftAdvice(drift)}` : '') +
          (license ? `\n${license.product}: expires ${license.expiresAt ?? 'never'}${license.daysLeft !== null ? ` (${license.daysLeft} days)` : ''}${license.status === 'not-running' ? ' (recorded, not running)' : ''}` : ''),
      };
    },
  },
  {
    path: ['instance', 'accept-key'],
    usage: 'instance accept-key NAME',
    summary: 'after drift: record the key a QueueMetrics instance runs now as its key',
    help: [
      'Reads the key the instance runs now and records it as the one it should run: drift ends, and the',
      'licenses it no longer runs are marked superseded. A stored license with that key joins the instance;',
      'one recorded for another instance is never moved (two instances on one server: remove one).',
      'To undo an unwanted change instead, install the recorded key again: keyfleet ppk install LICENSE --instance NAME.',
    ].join('\n'),
    positionals: [1, 1],
    async run(ctx, { positionals }) {
      const [{ acceptRunningKey }, { maskKey }] = await Promise.all([import('../../core/vendors/queuemetrics/accept-key.ts'), import('../../core/vendors/queuemetrics/client.ts')]);
      const out = await acceptRunningKey(ctx, positionals[0]!);
      return {
        json: { instance: { id: out.instance.id, name: out.instance.name, drift: null }, key: out.key, superseded: out.superseded },
        text: `${out.instance.name}: ${out.key ? `key ${maskKey(out.key)}` : 'no key'} is now its recorded key${out.superseded ? `; ${out.superseded} license(s) it no longer runs marked superseded` : ''}`,
      };
    },
  },
  {
    path: ['instance', 'adopt'],
    usage:
      'instance adopt NAME --ppk PPK [--enduser N] [--email E] [--source NAME] | instance adopt NAME --expires DATE --agents N --servers N | instance adopt --file F.csv | instance adopt --all-converted [--instance NAME]… [--enduser N] [--email E] [--source NAME] [--concurrency N] [--yes]',
    summary: 'make the key a QueueMetrics instance already runs a license, with its expiry and limits',
    help: [
      'For an instance running a key Keyfleet did not install (drift unknown-key). The key is the one the',
      'instance ran at its last check (it is read now if it never was); the facts come from:',
      '  --ppk PPK       the PPK it was converted from, added with `keyfleet ppk add PPK --converted`. The key server',
      '                  is asked for that PPK again (it answers the same key, issue date and expiry); the answer is',
      '                  kept, and the license stored only when its key is the one the instance runs (else exit 1).',
      '                  --enduser/--email are what the request names (default: the client, the key source\'s e-mail).',
      '  --expires DATE --agents N --servers N   read from the instance\'s License page (origin manual).',
      `  --file F.csv    one row per instance, columns ${describeColumns(ADOPT_CSV)};`,
      '                  each key must be the one its instance runs; one bad line adopts nothing (errors by line).',
      '  --all-converted every PPK added with --converted and not adopted yet is asked for (the PPKs are listed',
      '                  first and must be confirmed, or --yes), and each key is matched with the instances running',
      '                  an unknown key (--instance NAME, repeatable: only those). JSON: adopted, unmatchedPpks,',
      '                  unknownInstances.',
      'Never give --ppk for a PPK that was not converted: asking the key server converts it and spends it.',
    ].join('\n'),
    options: {
      ppk: { type: 'string' },
      enduser: { type: 'string' },
      email: { type: 'string' },
      source: { type: 'string' },
      expires: { type: 'string' },
      agents: { type: 'string' },
      servers: { type: 'string' },
      file: { type: 'string' },
      'all-converted': { type: 'boolean' },
      instance: { type: 'string', multiple: true },
      concurrency: { type: 'string' },
      yes: { type: 'boolean' },
    },
    positionals: [0, 1],
    async run(ctx, { positionals, values, io, progress }) {
      const name = positionals[0];
      const byHand = ['expires', 'agents', 'servers'].filter((k) => values[k] !== undefined);
      const ways = [values.ppk !== undefined, byHand.length > 0, values.file !== undefined, Boolean(values['all-converted'])].filter(Boolean).length;
      if (ways !== 1) throw new KeyfleetError('BAD_INPUT', 'give one of --ppk PPK, --expires DATE --agents N --servers N, --file F.csv or --all-converted');
      const { maskKey } = await import('../../core/vendors/queuemetrics/client.ts');
      const adopted = (license: { key: string; expiresAt: string | null; origin: string; id: string }, instance: string) => ({
        json: { license: { id: license.id, key: license.key, expiresAt: license.expiresAt, origin: license.origin, instance } },
        text: `${instance}: key ${maskKey(license.key)} adopted (${license.origin}), expires ${license.expiresAt ?? 'never'}`,
      });
      if (values.file !== undefined || values['all-converted']) {
        if (name) throw new KeyfleetError('BAD_INPUT', `--file and --all-converted name no instance (got ${name}); use --instance NAME with --all-converted`);
      } else if (!name) throw new KeyfleetError('BAD_INPUT', 'name the instance: keyfleet instance adopt NAME …');

      if (values.ppk !== undefined) {
        const { adoptWithPpk } = await import('../../core/vendors/queuemetrics/adopt.ts');
        const out = await withNextSteps(() => adoptWithPpk(ctx, { instance: name!, ppk: requireStr(values, 'ppk'), enduser: str(values, 'enduser'), email: str(values, 'email'), source: str(values, 'source') }));
        return adopted(out.license, out.instance.name);
      }
      if (byHand.length > 0) {
        const missing = ['expires', 'agents', 'servers'].filter((k) => values[k] === undefined);
        if (missing.length) throw new KeyfleetError('BAD_INPUT', `facts from the License page need --expires DATE --agents N --servers N; missing ${missing.map((m) => `--${m}`).join(', ')}`);
        const { adoptByHand } = await import('../../core/vendors/queuemetrics/adopt.ts');
        const out = await withNextSteps(() => adoptByHand(ctx, { instance: name!, expiresAt: requireStr(values, 'expires'), agents: int(values, 'agents', [1, 100_000])!, servers: int(values, 'servers', [1, 100_000])! }));
        return adopted(out.license, out.instance.name);
      }
      if (values.file !== undefined) {
        const file = requireStr(values, 'file');
        const bytes = readCsvFile(file);
        const { adoptFromCsv } = await import('../../core/vendors/queuemetrics/adopt-csv.ts');
        const result = await adoptFromCsv(ctx, bytes, { fileName: file });
        const text = await csvImportText({ summary: `adopted ${result.adopted} running key(s)`, file, imported: result.adopted, errors: result.errors, detected: result.detected, command: 'instance adopt --file' });
        return {
          json: result,
          // All or nothing: there is no --valid-only to point at.
          text: text.replace(/, or import only the good lines: .*$/m, ''),
          ...(result.errors.length > 0 ? { exitCode: 2 } : {}),
        };
      }
      const { adoptConvertedPpks, convertedPpksToAdopt } = await import('../../core/vendors/queuemetrics/adopt.ts');
      const { ask } = convertedPpksToAdopt(ctx);
      if (ask.length > 0 && !values.yes) {
        const list = ask.map((p) => `  ${p.ppk}`).join('\n');
        if (!io.stdin.isTTY) {
          throw new KeyfleetError('BAD_INPUT', `the key server will be asked again for ${ask.length} PPK(s) marked converted:\n${list}\nasking for a PPK that was never converted converts it and spends it; check the list and add --yes to go ahead`);
        }
        io.stderr.write(`The key server will be asked again for ${ask.length} PPK(s) marked converted before Keyfleet:\n${list}\nA PPK that was never converted would be converted now, and spent. Go ahead? [y/N] `);
        const answer = await readAnswer(io.stdin);
        if (!/^y(es)?$/i.test(answer.trim())) throw new KeyfleetError('CANCELLED', 'nothing was asked: the key server was not contacted');
      }
      const result = await withNextSteps(() =>
        adoptConvertedPpks(ctx, {
          instanceIds: values.instance as string[] | undefined,
          enduser: str(values, 'enduser'),
          email: str(values, 'email'),
          source: str(values, 'source'),
          concurrency: int(values, 'concurrency', [1, 64]),
          onProgress: (p) => progress(`${p.done}/${p.total} PPK(s), ${p.adopted} adopted`),
        }),
      );
      const lines = [`adopted ${result.adopted} key(s); ${result.unmatchedPpks.length} PPK(s) unmatched; ${result.unknownInstances.length} instance(s) still run an unknown key`];
      for (const a of result.adoptions) lines.push(`  ${a.instance}: PPK ${a.ppk}, expires ${a.expiresAt ?? 'never'}`);
      for (const u of result.unmatchedPpks) lines.push(`  PPK ${u.ppk}${u.key ? ` (key ${maskKey(u.key)})` : ''}: ${u.reason}`);
      for (const i of result.unknownInstances) lines.push(`  UNKNOWN KEY ${i.instance}: keyfleet instance adopt ${i.instance} --expires DATE --agents N --servers N`);
      return { json: result, text: lines.join('\n') };
    },
  },
];

/** One line a person types at a prompt (without a line: what was typed before the input closed). */
async function readAnswer(stdin: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += String(chunk);
    if (text.includes('\n') || text.length > 200) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}
