import { vendorLabel } from '../../shared/format.ts';
import type { InstanceKind } from '../../shared/types.ts';

export const KIND_HINTS: Record<InstanceKind, { url: string; user: string; userLabel: string; secretLabel: string; needsUser: boolean }> = {
  queuemetrics: { url: 'http://pbx.example:8080/queuemetrics', user: 'keyupdater', userLabel: 'User (needs ROBOT and KEYUPDATE)', secretLabel: 'Password', needsUser: true },
  isymphony: { url: 'http://pbx.example:58080', user: 'manager', userLabel: 'User', secretLabel: 'Password', needsUser: true },
  webitel: { url: 'https://webitel.example/api', user: '', userLabel: 'User (optional)', secretLabel: 'Access token', needsUser: false },
};

export const KIND_OPTIONS = (Object.keys(KIND_HINTS) as InstanceKind[]).map((k) => ({ value: k, label: vendorLabel(k) }));
