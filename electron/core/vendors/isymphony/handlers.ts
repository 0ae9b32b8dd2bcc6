import type { Context } from '../../context.ts';
import type { Handlers } from '../../api/dispatch.ts';
import { licenseView } from '../../api/views.ts';
import type { isymphonyContract } from './isymphony.contract.ts';
import { isymphonyActivate, isymphonyCoreServers, isymphonyModules } from './service.ts';

/** The iSymphony slice of the API: each method a thin call into this folder's service. */
export function isymphonyHandlers(ctx: Context): Pick<Handlers, keyof typeof isymphonyContract> {
  return {
    isymphonyCoreServers: ({ ref }) => isymphonyCoreServers(ctx, ref),
    isymphonyActivate: async (input) => {
      const { license, outcome } = await isymphonyActivate(ctx, input);
      return { license: licenseView(ctx, license.id), outcome };
    },
    isymphonyModules: ({ instance }) => isymphonyModules(ctx, instance),
  };
}
