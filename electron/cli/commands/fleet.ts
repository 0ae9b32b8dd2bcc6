import fs from 'node:fs';
import type { Command } from '../framework.ts';
import { int, readSecretLine, requireStr, str, table } from '../framework.ts';
import { KeyfleetError } from '../../core/errors.ts';
import type { LicenseView } from '../../core/services/licenses.ts';
import { driftAdvice } from '../next-steps.ts';
import type { CsvDetected } from '../../core/services/csv.ts';
import { CLIENT_CSV, INSTANCE_CSV, csvImportHelp } from '../../core/csv-columns.ts';

// Services and schemas are imported inside each command's run(): a process runs one command,
// and loading what every command here needs (the contract's zod schemas, CSV parsing, vendor
// clients) would be most of its start-up. Only types and tiny pure helpers are imported above.

/** The contract's input schemas and their validator (zod): only for commands that validate input. */
async function inputSchemas() {
  const [{ validateInput }, schemas] = await Promise.all([import('../../core/api/validate.ts'), import('../../core/api/contract.ts')]);
  return { validateInput, ...schemas };
}

const secretStdin = { 'secret-stdin': { type: 'boolean' } } as const;

/** The file's bytes: the importer detects the encoding (a spreadsheet's CSV is often not UTF-8). */
function readCsvFile(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new KeyfleetError('BAD_INPUT', `cannot read ${file}: ${(e as Error).message}`);
  }
}

/** What an import did, how the file was read, every bad line, and the next step when nothing was imported. */
async function csvImportText(o: { summary: string; file: string; imported: number; errors: Array<{ line: number; message: string }>; detected: CsvDetected; command: string }): Promise<string> {
  const { detected } = o;
  const { describeDelimiter, describeEncoding } = await import('../../core/services/csv-detect.ts');
  const readAs = `${describeEncoding(detected.encoding, detected.bom)}, separated by ${describeDelimiter(detected.delimiter)}${detected.header ? '' : ', no header line'}`;
  const lines = [`${o.summary} from ${o.file} (${readAs})`];
  for (const e of o.errors) lines.push(`line ${e.line}: ${e.message}`);
  if (o.errors.length && o.imported === 0) lines.push(`nothing was imported: correct the lines above and run the command again, or import only the good lines: keyfleet ${o.command} ${shellWord(o.file)} --valid-only`);
  return lines.join('\n');
}

/** A path as a shell word, so the suggested command can be pasted as it is. */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

function licenseSummary(l: LicenseView | undefined) {
  return l ? { product: l.product, expiresAt: l.expiresAt, daysLeft: l.daysLeft, status: l.status } : null;
}

export const fleetCommands: Command[] = [
  {
    path: ['client', 'add'],
    usage: 'client add NAME [--email E] [--notes TEXT] [--tag T]…',
    summary: 'add a client (an end customer)',
    options: { email: { type: 'string' }, notes: { type: 'string' }, tag: { type: 'string', multiple: true } },
    positionals: [1, 1],
    async run(ctx, { positionals, values }) {
      const [{ validateInput, ClientInputSchema }, { addClient }] = await Promise.all([inputSchemas(), import('../../core/services/clients.ts')]);
      const input = validateInput(ClientInputSchema, { name: positionals[0], email: str(values, 'email'), notes: str(values, 'notes'), tags: values.tag });
      const client = addClient(ctx, input);
      return { json: { client }, text: `added client ${client.name} (${client.id})` };
    },
  },
  {
    path: ['client', 'list'],
    usage: 'client list',
    summary: 'list clients',
    async run(ctx) {
      const { listClients } = await import('../../core/services/clients.ts');
      const clients = listClients(ctx);
      const counts = new Map<string, number>();
      for (const i of ctx.store.data.instances) if (i.clientId) counts.set(i.clientId, (counts.get(i.clientId) ?? 0) + 1);
      return {
        json: { clients: clients.map((c) => ({ ...c, instances: counts.get(c.id) ?? 0 })) },
        get text() {
          return clients.length ? table(['NAME', 'E-MAIL', 'INSTANCES', 'ID'], clients.map((c) => [c.name, c.email, counts.get(c.id) ?? 0, c.id])) : 'no clients yet: keyfleet client add NAME';
        },
      };
    },
  },
  {
    path: ['client', 'import'],
    usage: 'client import FILE.csv [--valid-only]',
    summary: 'add many clients from CSV (name,email,notes,tags); a bad line imports nothing unless --valid-only',
    help: csvImportHelp(CLIENT_CSV),
    options: { 'valid-only': { type: 'boolean' } },
    positionals: [1, 1],
    async run(ctx, { positionals, values }) {
      const bytes = readCsvFile(positionals[0]!);
      const { importClientsCsv } = await import('../../core/services/clients-csv.ts');
      const result = importClientsCsv(ctx, bytes, { validOnly: Boolean(values['valid-only']), fileName: positionals[0]! });
      return {
        json: result,
        text: await csvImportText({ summary: `imported ${result.imported} client(s)`, file: positionals[0]!, ...result, command: 'client import' }),
        ...(result.errors.length > 0 && result.imported === 0 ? { exitCode: 2 } : {}),
      };
    },
  },
  {
    path: ['client', 'remove'],
    usage: 'client remove NAME',
    summary: 'remove a client that owns no instances',
    positionals: [1, 1],
    async run(ctx, { positionals }) {
      const { removeClient } = await import('../../core/services/clients.ts');
      removeClient(ctx, positionals[0]!);
      return { json: { removed: true }, text: `removed client ${positionals[0]}` };
    },
  },
  {
    path: ['source', 'add'],
    usage: 'source add NAME --kind loway-keyserver|qlm --url URL [--email E] [--vendor V --user U --secret-stdin] [--product ID --major N --minor N] [--date-format F] [--pin SHA256]',
    summary: 'add a key source: a Loway key-server account or a QLM License Server account',
    options: {
      kind: { type: 'string' },
      url: { type: 'string' },
      email: { type: 'string' },
      vendor: { type: 'string' },
      user: { type: 'string' },
      product: { type: 'string' },
      major: { type: 'string' },
      minor: { type: 'string' },
      'date-format': { type: 'string' },
      pin: { type: 'string' },
      ...secretStdin,
    },
    positionals: [1, 1],
    async run(ctx, { positionals, values, io }) {
      const product = int(values, 'product');
      const productDefaults = product !== undefined ? { productId: product, major: int(values, 'major') ?? 1, minor: int(values, 'minor') ?? 0 } : undefined;
      const { validateInput, SourceInputSchema } = await inputSchemas();
      const input = validateInput(SourceInputSchema, {
        name: positionals[0],
        kind: requireStr(values, 'kind'),
        url: requireStr(values, 'url'),
        email: str(values, 'email'),
        vendor: str(values, 'vendor'),
        user: str(values, 'user'),
        productDefaults,
        dateFormat: str(values, 'date-format'),
        pinSha256: str(values, 'pin'),
      });
      const secret = values['secret-stdin'] ? await readSecretLine(io.stdin, 'password') : undefined;
      const { addSource } = await import('../../core/services/sources.ts');
      const source = await addSource(ctx, { ...input, secret });
      return { json: { source: { id: source.id, name: source.name, kind: source.kind, url: source.url } }, text: `added ${source.kind} key source ${source.name} (${source.id})` };
    },
  },
  {
    path: ['source', 'list'],
    usage: 'source list',
    summary: 'list key sources',
    async run(ctx) {
      const sources = ctx.store.data.sources;
      return {
        json: { sources },
        text: sources.length ? table(['NAME', 'KIND', 'URL', 'ID'], sources.map((s) => [s.name, s.kind, s.url, s.id])) : 'no key sources yet',
      };
    },
  },
  {
    path: ['source', 'test'],
    usage: 'source test NAME',
    summary: 'check a key source answers (QLM: PingHttp; Loway: its status line, converting nothing)',
    positionals: [1, 1],
    async run(ctx, { positionals }) {
      const { testSource } = await import('../../core/services/connection-test.ts');
      const r = await testSource(ctx, positionals[0]!);
      return { json: r, text: `${r.summary}${r.skewMs !== null ? `; clock skew ${Math.round(r.skewMs / 1000)} s` : ''}` };
    },
  },
  {
    path: ['source', 'remove'],
    usage: 'source remove NAME',
    summary: 'remove a key source and its keychain item',
    positionals: [1, 1],
    async run(ctx, { positionals }) {
      const { removeSource } = await import('../../core/services/sources.ts');
      await removeSource(ctx, positionals[0]!);
      return { json: { removed: true }, text: `removed key source ${positionals[0]}` };
    },
  },
  {
    path: ['credential', 'add'],
    usage: 'credential add NAME [--user U] --secret-stdin',
    summary: 'add a shared credential (one keychain item many instances can use)',
    options: { user: { type: 'string' }, ...secretStdin },
    positionals: [1, 1],
    async run(ctx, { positionals, values, io }) {
      if (!values['secret-stdin']) throw new KeyfleetError('BAD_INPUT', '--secret-stdin is required: the secret is read from standard input');
      const secret = await readSecretLine(io.stdin);
      const { addCredential } = await import('../../core/services/instances.ts');
      const credential = await addCredential(ctx, { name: positionals[0]!, user: str(values, 'user'), secret });
      return { json: { credential }, text: `added shared credential ${credential.name} (${credential.id})` };
    },
  },
  {
    path: ['credential', 'remove'],
    usage: 'credential remove NAME',
    summary: 'remove a shared credential no instance uses any more, and its keychain item',
    positionals: [1, 1],
    async run(ctx, { positionals }) {
      const { removeCredential } = await import('../../core/services/instances.ts');
      await removeCredential(ctx, positionals[0]!);
      return { json: { removed: true }, text: `removed credential ${positionals[0]}` };
    },
  },
  {
    path: ['credential', 'list'],
    usage: 'credential list',
    summary: 'list shared credentials',
    async run(ctx) {
      const creds = ctx.store.data.credentials;
      // One pass over the instances, not one per credential (5,000 instances can share one).
      const counts = new Map<string, number>();
      for (const i of ctx.store.data.instances) if (i.secret?.type === 'shared') counts.set(i.secret.credentialId, (counts.get(i.secret.credentialId) ?? 0) + 1);
      const users = (id: string) => counts.get(id) ?? 0;
      return {
        json: { credentials: creds.map((c) => ({ ...c, instances: users(c.id) })) },
        get text() {
          return creds.length ? table(['NAME', 'USER', 'INSTANCES', 'ID'], creds.map((c) => [c.name, c.user, users(c.id), c.id])) : 'no shared credentials';
        },
      };
    },
  },
  {
    path: ['instance', 'add'],
    usage:
      'instance add NAME --kind queuemetrics|isymphony|webitel --url URL [--client C] [--user U] [--secret-stdin | --credential NAME] [--core-server SLUG] [--domain ID] [--pin SHA256] [--tag T]… [--group G]',
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
    options: {
      kind: { type: 'string' },
      url: { type: 'string' },
      client: { type: 'string' },
      user: { type: 'string' },
      credential: { type: 'string' },
      'core-server': { type: 'string' },
      domain: { type: 'string' },
      pin: { type: 'string' },
      tag: { type: 'string', multiple: true },
      group: { type: 'string' },
      ...secretStdin,
    },
    positionals: [1, 1],
    async run(ctx, { positionals, values, io }) {
      const { validateInput, InstanceInputSchema } = await inputSchemas();
      const input = validateInput(InstanceInputSchema, {
        name: positionals[0],
        kind: requireStr(values, 'kind'),
        url: requireStr(values, 'url'),
        client: str(values, 'client'),
        user: str(values, 'user'),
        credential: str(values, 'credential'),
        coreServer: str(values, 'core-server'),
        domainId: str(values, 'domain'),
        pinSha256: str(values, 'pin'),
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
    options: {
      name: { type: 'string' },
      url: { type: 'string' },
      client: { type: 'string' },
      user: { type: 'string' },
      credential: { type: 'string' },
      'core-server': { type: 'string' },
      domain: { type: 'string' },
      pin: { type: 'string' },
      'clear-pin': { type: 'boolean' },
      ...secretStdin,
    },
    positionals: [1, 1],
    async run(ctx, { positionals, values, io }) {
      const secret = values['secret-stdin'] ? await readSecretLine(io.stdin) : undefined;
      const [{ updateInstance }, { instanceView }] = await Promise.all([import('../../core/services/instances.ts'), import('../../core/api/views.ts')]);
      const instance = await updateInstance(ctx, positionals[0]!, {
        name: str(values, 'name'),
        url: str(values, 'url'),
        client: str(values, 'client'),
        user: str(values, 'user'),
        credential: str(values, 'credential'),
        coreServer: str(values, 'core-server'),
        domainId: str(values, 'domain'),
        pinSha256: str(values, 'pin'),
        clearPin: Boolean(values['clear-pin']),
        secret,
      });
      return { json: { instance: instanceView(ctx, instance) }, text: `updated instance ${instance.name}` };
    },
  },
  {
    path: ['instance', 'remove'],
    usage: 'instance remove NAME',
    summary: 'remove an instance and its own keychain item',
    positionals: [1, 1],
    async run(ctx, { positionals }) {
      const { removeInstance } = await import('../../core/services/instances.ts');
      await removeInstance(ctx, positionals[0]!);
      return { json: { removed: true }, text: `removed instance ${positionals[0]}` };
    },
  },
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
    path: ['licenses'],
    usage: 'licenses [--expiring-within DAYS] [--vendor V] [--client C]',
    summary: 'every stored license, soonest expiry first, and the instances that drifted',
    help: [
      'STATUS: active, expiring (within the longest reminder stage), expired, revoked, superseded, or',
      'not-running: a QueueMetrics key recorded on an instance that ran another key when last checked.',
      'JSON: {"licenses":[…],"drift":[{"instance","state","next"}]}; each license also has "drift", its',
      'instance\'s state (null, "differs" or "unknown-key"). The text lists each drift with the command to run.',
    ].join('\n'),
    options: { 'expiring-within': { type: 'string' }, vendor: { type: 'string' }, client: { type: 'string' } },
    async run(ctx, { values }) {
      const vendor = str(values, 'vendor');
      if (vendor && !['queuemetrics', 'isymphony', 'webitel', 'qlm'].includes(vendor)) throw new KeyfleetError('BAD_INPUT', `--vendor must be queuemetrics, isymphony, webitel or qlm`);
      const client = str(values, 'client');
      const [{ listLicenses }, { findByRef }, { driftEntries }] = await Promise.all([
        import('../../core/services/licenses.ts'),
        import('../../core/services/lookup.ts'),
        import('../../core/vendors/queuemetrics/drift.ts'),
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
                ['EXPIRES', 'DAYS', 'STATUS', 'VENDOR', 'PRODUCT', 'CLIENT', 'INSTANCE'],
                licenses.map((l) => [l.expiresAt ?? 'never', l.daysLeft, l.status, l.vendor, l.product, l.client, l.instance]),
              )
            : 'no licenses') + advice;
        },
      };
    },
  },
  {
    path: ['history'],
    usage: 'history [--instance NAME] [--action PREFIX] [--limit N]',
    summary: 'the event log, newest first',
    options: { instance: { type: 'string' }, action: { type: 'string' }, limit: { type: 'string' } },
    async run(ctx, { values, io }) {
      const { listHistory } = await import('../../core/services/history.ts');
      const { events, warnings } = listHistory(ctx, { instance: str(values, 'instance'), action: str(values, 'action'), limit: int(values, 'limit', [1, 1_000_000]) });
      for (const w of warnings) io.stderr.write(`keyfleet: warning: ${w}\n`);
      return {
        json: { events: events.map(({ data: _data, ...e }) => e) },
        get text() {
          return events.length ? table(['AT', 'ACTION', 'TARGET', 'OUTCOME', 'SUMMARY'], events.map((e) => [e.at, e.action, e.target, e.outcome, e.error?.message ?? e.summary])) : 'no events';
        },
      };
    },
  },
];
