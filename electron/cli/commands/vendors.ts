import fs from 'node:fs';
import type { Command, CommandArgs } from '../framework.ts';
import { int, requireStr, str, table } from '../framework.ts';
import { KeyfleetError } from '../../core/errors.ts';
import type { QlmExpiry } from '../../core/vendors/qlm/client.ts';

// Services are imported inside each command's run(): a process runs one command, and loading
// every vendor's service and client (XML, XML-RPC, …) would be most of its start-up. Only types
// and tiny pure helpers are imported above.

const isymphonyService = () => import('../../core/vendors/isymphony/service.ts');
const qlmService = () => import('../../core/vendors/qlm/service.ts');
const webitelService = () => import('../../core/vendors/webitel/service.ts');
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

function readFileArg(path: string, what: string): string {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (e) {
    throw new KeyfleetError('BAD_INPUT', `cannot read ${what} ${path}: ${(e as Error).message}`);
  }
}

export const vendorCommands: Command[] = [
  {
    path: ['isymphony', 'servers'],
    usage: 'isymphony servers NAME',
    summary: 'list the core servers of an iSymphony instance',
    positionals: [1, 1],
    async run(ctx, { positionals }) {
      const { isymphonyCoreServers } = await isymphonyService();
      const servers = await isymphonyCoreServers(ctx, positionals[0]!);
      return { json: { coreServers: servers }, text: table(['SLUG', 'NAME', 'ID'], servers.map((s) => [s.slug, s.name, s.id])) };
    },
  },
  {
    path: ['isymphony', 'activate'],
    usage: 'isymphony activate NAME --serial S [--licensed-to WHO] [--email E] [--cancel-bind]',
    summary: 'activate a serial, completing the bind step when the server asks (defaults: the instance client)',
    options: { serial: { type: 'string' }, 'licensed-to': { type: 'string' }, email: { type: 'string' }, 'cancel-bind': { type: 'boolean' } },
    positionals: [1, 1],
    async run(ctx, { positionals, values }) {
      const [{ isymphonyActivate }, { licenseView }] = await Promise.all([isymphonyService(), viewsModule()]);
      const { license, outcome } = await isymphonyActivate(ctx, {
        instance: positionals[0]!,
        serial: requireStr(values, 'serial'),
        licensedTo: str(values, 'licensed-to'),
        email: str(values, 'email'),
        cancelBind: Boolean(values['cancel-bind']),
      });
      const view = licenseView(ctx, license.id);
      return { json: { license: view, outcome }, text: `${outcome}: ${view.product}, ${view.expiresAt ? `expires ${view.expiresAt}` : 'perpetual'}` };
    },
  },
  {
    path: ['isymphony', 'modules'],
    usage: 'isymphony modules NAME',
    summary: 'module licenses of an iSymphony core server, with their properties',
    positionals: [1, 1],
    async run(ctx, { positionals }) {
      const { isymphonyModules } = await isymphonyService();
      const modules = await isymphonyModules(ctx, positionals[0]!);
      return { json: { modules }, text: table(['MODULE', 'PROPERTIES'], modules.map((m) => [m.moduleId, JSON.stringify(m.properties)])) };
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
      source: { type: 'string' },
      product: { type: 'string' },
      major: { type: 'string' },
      minor: { type: 'string' },
      days: { type: 'string' },
      expires: { type: 'string' },
      quantity: { type: 'string' },
      'per-seat': { type: 'boolean' },
      'activations-per-key': { type: 'string' },
      'additional-activations': { type: 'string' },
      features: { type: 'string' },
      model: { type: 'string' },
      floating: { type: 'boolean' },
      maintenance: { type: 'boolean' },
      'maintenance-days': { type: 'string' },
      affiliate: { type: 'string' },
      'computer-type': { type: 'string' },
      client: { type: 'string' },
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
      key: { type: 'string' },
      source: { type: 'string' },
      days: { type: 'string' },
      expires: { type: 'string' },
      features: { type: 'string' },
      pp: { type: 'string' },
      revoke: { type: 'boolean' },
      unrevoke: { type: 'boolean' },
      quantity: { type: 'string' },
      model: { type: 'string' },
      product: { type: 'string' },
      major: { type: 'string' },
      minor: { type: 'string' },
      affiliate: { type: 'string' },
      userdata: { type: 'string' },
    },
    async run(ctx, { values }) {
      if (values.revoke && values.unrevoke) throw new KeyfleetError('BAD_INPUT', 'give --revoke or --unrevoke, not both');
      const features = str(values, 'features');
      const pp = str(values, 'pp');
      const expiry = expiryFrom(values, false);
      const [{ qlmUpdate }, { licenseView }, { parseFeatures, parseProductProperties }] = await Promise.all([qlmService(), viewsModule(), qlmVendor()]);
      const license = await qlmUpdate(ctx, {
        key: requireStr(values, 'key'),
        source: str(values, 'source'),
        ...(expiry ? { expiry } : {}),
        ...(features ? { features: parseFeatures(features) } : {}),
        ...(pp ? { productProperties: parseProductProperties(pp) } : {}),
        ...(values.revoke ? { revoke: true } : values.unrevoke ? { revoke: false } : {}),
        ...(int(values, 'quantity', [1, 100_000]) !== undefined ? { quantity: int(values, 'quantity', [1, 100_000])! } : {}),
        ...(str(values, 'model') ? { licenseModel: str(values, 'model') as never } : {}),
        ...(int(values, 'product') !== undefined ? { productId: int(values, 'product')! } : {}),
        ...(int(values, 'major') !== undefined ? { majorVersion: int(values, 'major')! } : {}),
        ...(int(values, 'minor') !== undefined ? { minorVersion: int(values, 'minor')! } : {}),
        ...(str(values, 'affiliate') ? { affiliateId: str(values, 'affiliate')! } : {}),
        ...(str(values, 'userdata') !== undefined ? { userData1: str(values, 'userdata')! } : {}),
      });
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
  {
    path: ['webitel', 'import'],
    usage: 'webitel import NAME --key-file F',
    summary: 'import a license certificate into a Webitel instance',
    options: { 'key-file': { type: 'string' } },
    positionals: [1, 1],
    async run(ctx, { positionals, values }) {
      const certificate = readFileArg(requireStr(values, 'key-file'), 'key file');
      const [{ webitelImport }, { licenseView }] = await Promise.all([webitelService(), viewsModule()]);
      const before = new Set(ctx.store.data.licenses.map((l) => l.id));
      const licenses = (await webitelImport(ctx, positionals[0]!, certificate)).map((l) => licenseView(ctx, l.id));
      const added = licenses.filter((l) => !before.has(l.id)).map((l) => l.key);
      return {
        json: { licenses, added },
        text:
          `${added.length} new license(s)\n` +
          table(['PRODUCT', 'LIMIT', 'VALID TILL', 'NEW', 'ID'], licenses.map((l) => [l.product, l.limits.seats, l.expiresAt ?? 'never', added.includes(l.key) ? 'yes' : '', l.key])),
      };
    },
  },
  {
    path: ['webitel', 'users'],
    usage: 'webitel users NAME --license ID [--search Q]',
    summary: 'who holds a Webitel license, with domains and active sessions',
    options: { license: { type: 'string' }, search: { type: 'string' } },
    positionals: [1, 1],
    async run(ctx, { positionals, values }) {
      const { webitelUsers } = await webitelService();
      const users = await webitelUsers(ctx, positionals[0]!, requireStr(values, 'license'), str(values, 'search'));
      return { json: { users }, text: table(['USER', 'DOMAIN', 'SESSIONS', 'ID'], users.map((u) => [u.name, u.domain, u.sessions, u.id])) };
    },
  },
  {
    path: ['webitel', 'logout'],
    usage: 'webitel logout NAME --user ID [--license ID]',
    summary: 'force a user of your own domain offline (with --license the rules are checked before asking the server)',
    options: { license: { type: 'string' }, user: { type: 'string' } },
    positionals: [1, 1],
    async run(ctx, { positionals, values }) {
      const { webitelLogout } = await webitelService();
      await webitelLogout(ctx, positionals[0]!, str(values, 'license'), requireStr(values, 'user'));
      return { json: { loggedOut: true }, text: 'logged out' };
    },
  },
  {
    path: ['webitel', 'capacity'],
    usage: 'webitel capacity NAME',
    summary: "effective capacity per product (CHAT and EMAIL: the largest license; others add up; expired count for nothing)",
    positionals: [1, 1],
    async run(ctx, { positionals }) {
      const { webitelCapacity } = await webitelService();
      const rows = webitelCapacity(ctx, positionals[0]!);
      return { json: { capacity: rows }, text: table(['PRODUCT', 'CAPACITY', 'RULE', 'COUNTED', 'WARNINGS'], rows.map((r) => [r.product, r.capacity, r.rule, `${r.counted}/${r.licenses}`, r.warnings.join('; ')])) };
    },
  },
];
