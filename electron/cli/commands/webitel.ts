import fs from 'node:fs';
import type { Command } from '../framework.ts';
import { requireStr, str, table } from '../framework.ts';
import { KeyfleetError } from '../../core/errors.ts';

const webitelService = () => import('../../core/vendors/webitel/service.ts');
const viewsModule = () => import('../../core/api/views.ts');

function readFileArg(path: string, what: string): string {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (e) {
    throw new KeyfleetError('BAD_INPUT', `cannot read ${what} ${path}: ${(e as Error).message}`);
  }
}

// Services are imported inside run(): a process runs one command, and loading what every
// command needs would be most of its start-up. Only types and tiny pure helpers are imported here.

export const commands: Command[] = [
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
