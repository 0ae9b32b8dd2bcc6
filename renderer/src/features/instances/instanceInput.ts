import type { FormErrors } from '@mantine/form';
import { InstanceInputSchema, isBareQueueMetricsAddress } from '../../../../electron/core/api/contract.ts';
import { contractValidator } from '../../shared/forms/contractValidator.ts';
import { urlProblem } from '../../shared/forms/urlRule.ts';
import type { Input, InstanceKind, InstanceView } from '../../shared/types.ts';

export interface InstanceFormValues {
  name: string;
  kind: InstanceKind;
  url: string;
  client: string;
  user: string;
  secretMode: 'own' | 'shared' | 'none';
  secret: string;
  credential: string;
  coreServer: string;
  domainId: string;
  pinSha256: string;
  tags: string[];
  group: string;
  notes: string;
}

export function initialInstanceValues(instance?: InstanceView, clientId?: string): InstanceFormValues {
  return {
    name: instance?.name ?? '',
    kind: instance?.kind ?? 'queuemetrics',
    url: instance?.url ?? '',
    client: instance?.clientId ?? clientId ?? '',
    user: instance?.user ?? '',
    secretMode: instance?.secret?.type === 'shared' ? 'shared' : instance && !instance.hasSecret ? 'none' : 'own',
    secret: '',
    credential: instance?.secret?.type === 'shared' ? instance.secret.credentialId : '',
    coreServer: instance?.coreServer ?? '',
    domainId: instance?.domainId ?? '',
    pinSha256: instance?.pinSha256 ?? '',
    tags: instance?.tags ?? [],
    group: instance?.group ?? '',
    notes: instance?.notes ?? '',
  };
}

const opt = (s: string) => (s.trim() ? s.trim() : undefined);

/** The addInstance input: empty optional fields are left out (the contract refuses empty secrets and pins). */
export function toAddInput(v: InstanceFormValues): Input<'addInstance'> {
  return {
    name: v.name.trim(),
    kind: v.kind,
    url: v.url.trim(),
    client: opt(v.client),
    user: opt(v.user),
    secret: v.secretMode === 'own' && v.secret ? v.secret : undefined,
    credential: v.secretMode === 'shared' ? opt(v.credential) : undefined,
    coreServer: v.kind === 'isymphony' ? opt(v.coreServer) : undefined,
    domainId: v.kind === 'webitel' ? opt(v.domainId) : undefined,
    pinSha256: opt(v.pinSha256),
    tags: v.tags,
    group: opt(v.group),
    notes: opt(v.notes),
  };
}

/** The updateInstance patch: only what the form can express, secrets only when typed. */
export function toPatch(v: InstanceFormValues, current: InstanceView): Input<'updateInstance'>['patch'] {
  const patch: Input<'updateInstance'>['patch'] = {
    name: v.name.trim(),
    url: v.url.trim(),
    user: v.user.trim(),
    coreServer: v.kind === 'isymphony' ? v.coreServer.trim() : undefined,
    domainId: v.kind === 'webitel' ? v.domainId.trim() : undefined,
    tags: v.tags,
    group: v.group.trim(),
    notes: v.notes,
  };
  // An emptied client detaches the instance (null); its licenses keep their own client.
  if (v.client.trim() && v.client !== current.clientId) patch.client = v.client.trim();
  if (!v.client.trim() && current.clientId) patch.client = null;
  if (v.secretMode === 'own' && v.secret) patch.secret = v.secret;
  if (v.secretMode === 'shared' && v.credential && (current.secret?.type !== 'shared' || current.secret.credentialId !== v.credential)) patch.credential = v.credential;
  if (v.secretMode === 'none' && current.hasSecret) patch.clearSecret = true;
  if (v.pinSha256.trim() && v.pinSha256.trim() !== current.pinSha256) patch.pinSha256 = v.pinSha256.trim();
  if (!v.pinSha256.trim() && current.pinSha256) patch.clearPin = true;
  return patch;
}

/** What testInstance needs to try a connection with the unsaved form. */
export function toDraft(v: InstanceFormValues): NonNullable<Input<'testInstance'>['draft']> {
  const add = toAddInput(v);
  const draft: NonNullable<Input<'testInstance'>['draft']> = { kind: add.kind, url: add.url };
  if (add.name) draft.name = add.name;
  if (add.user) draft.user = add.user;
  if (add.secret) draft.secret = add.secret;
  if (add.credential) draft.credential = add.credential;
  if (add.coreServer) draft.coreServer = add.coreServer;
  if (add.domainId) draft.domainId = add.domainId;
  if (add.pinSha256) draft.pinSha256 = add.pinSha256;
  return draft;
}

/** QueueMetrics also takes a bare host:port or dotted host, as its client reads one; the main process writes it out in full. */
function isBareQueueMetricsUrl(v: Pick<InstanceFormValues, 'kind' | 'url'>): boolean {
  return v.kind === 'queuemetrics' && isBareQueueMetricsAddress(v.url);
}

/** Whether the URL typed is worth a connection test. */
export function isUsableInstanceUrl(v: Pick<InstanceFormValues, 'kind' | 'url'>): boolean {
  return /^https?:\/\/\S+/i.test(v.url.trim()) || isBareQueueMetricsUrl(v);
}

export const INSTANCE_FIELDS = ['name', 'kind', 'url', 'client', 'user', 'secret', 'credential', 'coreServer', 'domainId', 'pinSha256', 'tags', 'group', 'notes'];

/** The add form and the edit form check the same fields by the addInstance rules. */
export const validateInstanceForm = contractValidator<InstanceFormValues>(
  InstanceInputSchema,
  toAddInput,
  { name: 'Name', url: 'URL', client: 'Client', user: 'User', secret: 'Secret', credential: 'Shared credential', coreServer: 'Core server', domainId: 'Domain ID', pinSha256: 'Pinned certificate', tags: 'Tags', group: 'Group', notes: 'Notes' },
  (v): FormErrors => {
    const problem = isBareQueueMetricsUrl(v) ? null : urlProblem(v.url);
    return problem ? { url: problem } : {};
  },
);
