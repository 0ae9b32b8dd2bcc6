import type { Context } from '../../context.ts';
import type { VendorHandlers } from '../handlers.ts';
import { licenseView } from '../../api/views.ts';
import { isymphonyActivate, isymphonyCoreServers, isymphonyModules } from './service.ts';

/** The iSymphony slice of the API: each method a thin call into this folder's service. */
export function isymphonyHandlers(ctx: Context): VendorHandlers<'isymphony'> {
  return {
    isymphonyCoreServers: ({ ref }) => isymphonyCoreServers(ctx, ref),
    isymphonyActivate: async (input) => {
      const { license, outcome } = await isymphonyActivate(ctx, input);
      return { license: licenseView(ctx, license.id), outcome };
    },
    isymphonyModules: ({ instance }) => isymphonyModules(ctx, instance),
  };
}
