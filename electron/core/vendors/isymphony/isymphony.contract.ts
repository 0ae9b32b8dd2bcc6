import { z } from 'zod';
import { read, write } from '../../api/define.ts';
import { email, name, ref } from '../../api/fields.ts';
import type { LicenseView } from '../../api/licenses.contract.ts';

export interface CoreServer {
  id: string;
  slug: string;
  name: string;
}

export const isymphonyContract = {
  isymphonyCoreServers: read<CoreServer[]>()(z.strictObject({ ref })),
  isymphonyActivate: write<{ license: LicenseView; outcome: 'activated' | 'bound' | 'bind-cancelled' }>()(
    z.strictObject({ instance: ref, serial: z.string().trim().min(1).max(500), licensedTo: name.optional(), email: email.optional(), cancelBind: z.boolean().optional() }),
  ),
  isymphonyModules: read<Array<{ id: string; moduleId: string; properties: Record<string, unknown> }>>()(z.strictObject({ instance: ref })),
} as const;
