import type { Command } from '../framework.ts';
import { requireStr, str, table } from '../framework.ts';

const isymphonyService = () => import('../../core/vendors/isymphony/service.ts');
const viewsModule = () => import('../../core/api/views.ts');

// Services are imported inside run(): a process runs one command, and loading what every
// command needs would be most of its start-up. Only types and tiny pure helpers are imported here.

export const commands: Command[] = [
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
];
