import type { Context } from '../../context.ts';
import type { VendorHandlers } from '../handlers.ts';
import { licenseView } from '../../api/views.ts';
import { webitelCapacity, webitelImport, webitelLogout, webitelUsers } from './service.ts';

/** The Webitel slice of the API: each method a thin call into this folder's service. */
export function webitelHandlers(ctx: Context): VendorHandlers<'webitel'> {
  return {
    webitelImport: async ({ instance, certificate }) => ({ licenses: (await webitelImport(ctx, instance, certificate)).map((l) => licenseView(ctx, l.id)) }),
    webitelUsers: ({ instance, licenseId, q }) => webitelUsers(ctx, instance, licenseId, q),
    webitelLogout: async ({ instance, licenseId, userId }) => {
      await webitelLogout(ctx, instance, licenseId, userId);
      return { loggedOut: true as const };
    },
    webitelCapacity: ({ instance }) => webitelCapacity(ctx, instance),
  };
}
