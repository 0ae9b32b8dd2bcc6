import type { Command, CommandArgs } from '../framework.ts';
import { int, requireStr, str } from '../framework.ts';
import { stringOptions } from '../command-shapes.ts';
import { KeyfleetError } from '../../core/errors.ts';
import type { QlmExpiry } from '../../core/vendors/qlm/client.ts';
import { contractSchemas } from '../command-input.ts';

const qlmService = () => import('../../core/vendors/qlm/service.ts');
const viewsModule = () => import('../../core/api/views.ts');
const qlmVendor = () => import('../../core/vendors/qlm/client.ts');

function expiryFrom(values: CommandArgs['values'], required: boolean): QlmExpiry | undefined {
  const days = int(values, 'days', [1, 100_000]);
  const date = str(values, 'expires');
  if (days !== undefined && date !== undefined) throw new KeyfleetError('BAD_INPUT', 'give either --days or --expires, not both');
  if (date !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new KeyfleetError('BAD_INPUT', `--expires must be a date YYYY-MM-DD, got "${date}"`);
    return { date };
  }
  if (days !== undefined) return { days };
  if (required) throw new KeyfleetError('BAD_INPUT', 'give the expiry: --days N or --expires YYYY-MM-DD');
  return undefined;
}

// Services are imported inside run(): a process runs one command, and loading what every
// command needs would be most of its start-up. Only types and tiny pure helpers are imported here.

const qlmImportModule = () => import('../../core/vendors/qlm/import.ts');

/** How a person is told to match what the server lists under a name no client has. */
function matchHint(u: { company: string | null; email: string | null; key: string; suggestedClient?: string }): string {
  const client = u.suggestedClient ? JSON.stringify(u.suggestedClient) : 'CLIENT';
  const by = u.company ? `--company ${JSON.stringify(u.company)}` : u.email ? `--email ${JSON.stringify(u.email)}` : `--key ${u.key}`;
  return `keyfleet qlm match --client ${client} ${by}`;
}

export const commands: Command[] = [
  {
    path: ['qlm', 'import'],
    usage: 'qlm import --source NAME [--filter EXPR] [--batch-size N] [--format xml|json]',
    summary: 'import every license a QLM License Server lists (GetLicensesHttp), matched to clients by company or e-mail',
    help: [
      '--filter is applied by the server to its qryLicenseInfo view, e.g. --filter "ProductID=1" or --filter "Company=\'Acme\'".',
      'Importing again updates the stored licenses and never duplicates them. Licenses whose company or e-mail no client has',
      'are listed as unmatched (not a failure); confirm a match with keyfleet qlm match, and it is remembered.',
      'When the server has GetLicensesHttp switched off (enableGetLicensesHttp), the keys Keyfleet already records are read one by one.',
    ],
    options: { source: { type: 'string' }, filter: { type: 'string' }, 'batch-size': { type: 'string' }, format: { type: 'string' } },
    async run(ctx, { values, progress }) {
      const format = str(values, 'format');
      if (format !== undefined && format !== 'xml' && format !== 'json') throw new KeyfleetError('BAD_INPUT', `--format must be xml or json, got "${format}"`);
      const { importQlmLicenses } = await qlmImportModule();
      const r = await importQlmLicenses(ctx, {
        source: requireStr(values, 'source'),
        filter: str(values, 'filter'),
        batchSize: int(values, 'batch-size', [1, 10_000]),
        format,
        onProgress: (p) => progress(`${p.done}${p.total === null ? '' : ` of ${p.total}`} licenses read…`),
      });
      const json = {
        imported: r.imported,
        updated: r.updated,
        unchanged: r.unchanged,
        matched: r.matched,
        unmatched: r.unmatched,
        rejected: r.rejected,
        ...(r.fallback ? { fallback: r.fallback, warning: r.warning } : {}),
        batches: r.batches,
        durationMs: r.durationMs,
      };
      return {
        json,
        get text() {
          const lines = [`${r.imported} imported, ${r.updated} updated, ${r.unchanged} unchanged; ${r.matched} matched to a client, ${r.unmatched.length} unmatched (${(r.durationMs / 1000).toFixed(1)} s)`];
          if (r.warning) lines.push(`warning: ${r.warning}`);
          if (r.rejected.length > 0) {
            lines.push(`${r.rejected.length} license(s) could not be read and were not imported:`);
            for (const x of r.rejected.slice(0, 20)) lines.push(`  ${x.message}`);
            if (r.rejected.length > 20) lines.push(`  … and ${r.rejected.length - 20} more (--json lists them all)`);
          }
          if (r.unmatched.length > 0) {
            lines.push('Unmatched (no client has this company or e-mail):');
            for (const u of r.unmatched.slice(0, 30)) {
              lines.push(`  ${u.key}  ${u.company ?? '-'}  ${u.email ?? '-'}${u.suggestedClient ? `  (looks like client ${u.suggestedClient})` : ''}`);
            }
            if (r.unmatched.length > 30) lines.push(`  … and ${r.unmatched.length - 30} more (--json lists them all)`);
            lines.push(`Match one and it is remembered for the next import, e.g.: ${matchHint(r.unmatched[0]!)}`);
          }
          return lines.join('\n');
        },
      };
    },
  },
  {
    path: ['qlm', 'match'],
    usage: 'qlm match --client C (--company X | --email E | --key AVKEY)',
    summary: "confirm that a company or e-mail on the QLM License Server is this client: remembered, and its licenses assigned",
    options: { client: { type: 'string' }, company: { type: 'string' }, email: { type: 'string' }, key: { type: 'string' } },
    async run(ctx, { values }) {
      const { confirmQlmMatch } = await qlmImportModule();
      const r = confirmQlmMatch(ctx, { client: requireStr(values, 'client'), company: str(values, 'company'), email: str(values, 'email'), key: str(values, 'key') });
      return {
        json: { client: { id: r.client.id, name: r.client.name }, alias: r.alias, assigned: r.assigned },
        text: `${r.alias ?? 'the license'} is ${r.client.name}: ${r.assigned} license(s) assigned${r.alias ? '; remembered for the next import' : ''}`,
      };
    },
  },
  {
    path: ['qlm', 'ping'],
    usage: 'qlm ping --source NAME',
    summary: 'test a QLM License Server (version, clock skew)',
    options: { source: { type: 'string' } },
    async run(ctx, { values }) {
      const { qlmPing } = await qlmService();
      const ping = await qlmPing(ctx, requireStr(values, 'source'));
      return { json: ping, text: `${ping.message} — version ${ping.serverVersion ?? '?'}, clock skew ${ping.skewMs === null ? '?' : `${Math.round(ping.skewMs / 1000)} s`}` };
    },
  },
  {
    path: ['qlm', 'create'],
    usage:
      'qlm create --source NAME --product ID --major N --minor N (--days N | --expires DATE) [--quantity N] [--per-seat] [--activations-per-key N] [--additional-activations N] [--features 0:1;1:2] [--model M] [--floating] [--maintenance [--maintenance-days N]] [--affiliate ID] [--computer-type none|pc|vm] [--client C]',
    summary: 'create keys on a QLM License Server (never re-sent automatically)',
    options: {
      ...stringOptions('source', 'product', 'major', 'minor', 'days', 'expires', 'quantity', 'activations-per-key', 'additional-activations', 'features', 'model', 'maintenance-days', 'affiliate', 'computer-type', 'client'),
      'per-seat': { type: 'boolean' },
      floating: { type: 'boolean' },
      maintenance: { type: 'boolean' },
    },
    async run(ctx, { values }) {
      const computerType = str(values, 'computer-type');
      if (computerType && !['none', 'pc', 'vm'].includes(computerType)) throw new KeyfleetError('BAD_INPUT', '--computer-type must be none, pc or vm');
      const features = str(values, 'features');
      const maintenanceDays = int(values, 'maintenance-days', [1, 100_000]);
      const [{ qlmCreate }, { licenseView }, { parseFeatures }] = await Promise.all([qlmService(), viewsModule(), qlmVendor()]);
      const licenses = await qlmCreate(ctx, {
        source: str(values, 'source'),
        productId: int(values, 'product'),
        major: int(values, 'major'),
        minor: int(values, 'minor'),
        expiry: expiryFrom(values, true)!,
        quantity: int(values, 'quantity', [1, 100_000]),
        oneKeyForAllSeats: values['per-seat'] ? false : undefined,
        activationsPerKey: int(values, 'activations-per-key', [1, 100_000]),
        additionalActivations: int(values, 'additional-activations', [0, 100_000]),
        features: features ? parseFeatures(features) : undefined,
        licenseModel: str(values, 'model'),
        floating: values.floating ? true : undefined,
        maintenance: values.maintenance || maintenanceDays ? (maintenanceDays ? { days: maintenanceDays } : {}) : undefined,
        affiliateId: str(values, 'affiliate'),
        computerType: computerType as 'none' | 'pc' | 'vm' | undefined,
        client: str(values, 'client'),
      });
      const views = licenses.map((l) => licenseView(ctx, l.id));
      return { json: { licenses: views }, text: views.map((l) => `${l.key}  expires ${l.expiresAt ?? 'never'}`).join('\n') };
    },
  },
  {
    path: ['qlm', 'update'],
    usage: 'qlm update --key AVKEY [--source NAME] [--expires DATE | --days N] [--features F] [--pp PROPS] [--revoke | --unrevoke] [--quantity N] [--model M] [--product ID] [--major N] [--minor N] [--affiliate ID] [--userdata TEXT]',
    summary: 'change a QLM license in place (same key) and read it back',
    options: {
      ...stringOptions('key', 'source', 'days', 'expires', 'features', 'pp', 'quantity', 'model', 'product', 'major', 'minor', 'affiliate', 'userdata'),
      revoke: { type: 'boolean' },
      unrevoke: { type: 'boolean' },
    },
    async run(ctx, { values }) {
      if (values.revoke && values.unrevoke) throw new KeyfleetError('BAD_INPUT', 'give --revoke or --unrevoke, not both');
      const features = str(values, 'features');
      const pp = str(values, 'pp');
      const expiry = expiryFrom(values, false);
      const [{ qlmUpdate }, { licenseView }, { parseFeatures, parseProductProperties }, { qlmUpdateInput }, { validateInput, QlmUpdateInputSchema }] = await Promise.all([
        qlmService(),
        viewsModule(),
        qlmVendor(),
        import('../../core/vendors/qlm/update-input.ts'),
        contractSchemas(),
      ]);
      const request = validateInput(QlmUpdateInputSchema, {
        key: requireStr(values, 'key'),
        source: str(values, 'source'),
        expiry,
        features: features ? parseFeatures(features) : undefined,
        productProperties: pp ? parseProductProperties(pp) : undefined,
        revoke: values.revoke ? true : values.unrevoke ? false : undefined,
        quantity: int(values, 'quantity', [1, 100_000]),
        licenseModel: str(values, 'model') || undefined,
        productId: int(values, 'product'),
        major: int(values, 'major'),
        minor: int(values, 'minor'),
        affiliateId: str(values, 'affiliate') || undefined,
        userData1: str(values, 'userdata'),
      });
      const license = await qlmUpdate(ctx, qlmUpdateInput(request));
      const view = licenseView(ctx, license.id);
      return { json: { license: view }, text: `${view.key}: ${view.status}, expires ${view.expiresAt ?? 'never'}` };
    },
  },
  {
    path: ['qlm', 'renew'],
    usage: 'qlm renew --key AVKEY (--days N | --expires DATE) [--source NAME]',
    summary: 'renew a subscription (RenewSubscriptionHttp)',
    options: { key: { type: 'string' }, source: { type: 'string' }, days: { type: 'string' }, expires: { type: 'string' } },
    async run(ctx, { values }) {
      const [{ qlmRenew }, { licenseView }] = await Promise.all([qlmService(), viewsModule()]);
      const license = await qlmRenew(ctx, { key: requireStr(values, 'key'), source: str(values, 'source'), expiry: expiryFrom(values, true)! });
      const view = licenseView(ctx, license.id);
      return { json: { license: view }, text: `${view.key}: expires ${view.expiresAt ?? 'never'}` };
    },
  },
  {
    path: ['qlm', 'status'],
    usage: 'qlm status --key AVKEY [--source NAME]',
    summary: "read a key's status, expiry and features from the server (ValidateLicenseHttp, no activation)",
    options: { key: { type: 'string' }, source: { type: 'string' } },
    async run(ctx, { values }) {
      const [{ qlmValidate }, { licenseView }] = await Promise.all([qlmService(), viewsModule()]);
      const { license, statusWords } = await qlmValidate(ctx, requireStr(values, 'key'), str(values, 'source'));
      const view = licenseView(ctx, license.id);
      return { json: { license: view, statusWords }, text: `${view.key}: ${statusWords.join(', ') || 'no status'}; expires ${view.expiresAt ?? 'never'}` };
    },
  },
];
