import { Select, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import type { ComponentType } from 'react';
import type { DialogRequest } from '../../app/routes.ts';
import { vendorLabel } from '../../shared/format.ts';
import type { InstanceKind, InstanceView, LicenseView } from '../../shared/types.ts';
import type { IconName } from '../../shared/ui/Icon.tsx';
import { ISymphonyPanel } from '../isymphony/ISymphonyPanel.tsx';
import { QueueMetricsPanel } from '../queuemetrics/QueueMetricsPanel.tsx';
import { WebitelPanel } from '../webitel/WebitelPanel.tsx';
import type { InstanceFormValues } from './instanceInput.ts';

/** A vendor panel on the instance page: gets the instance and all its licenses, superseded ones included. */
export type KindPanel = ComponentType<{ instance: InstanceView; licenses: readonly LicenseView[] }>;

/** The add/edit form's fields only one kind has; `coreServers` is what the last connection test listed. */
export type KindFormFields = ComponentType<{ form: UseFormReturnType<InstanceFormValues>; coreServers: ReadonlyArray<{ value: string; label: string }> }>;

/**
 * What the instance pages show differently per kind, in one place: the instance pages look the
 * kind up here instead of switching on it, so a new kind is one entry (and its feature folder).
 */
export interface KindUi {
  /** Placeholders and labels of the add/edit form. */
  hints: { url: string; user: string; userLabel: string; secretLabel: string; needsUser: boolean };
  formFields?: KindFormFields;
  /** The vendor's panel across the top of the instance page (a registry that lists many licenses). */
  topPanel?: KindPanel;
  /** The vendor's panel under the license card (its own actions). */
  sidePanel?: KindPanel;
  /** What the license card says instead of listing the current licenses, when another panel lists them. */
  licensesListedElsewhere?: (current: number) => string;
  /** Extra entries of the instance's row menu on the instances page. */
  rowActions?: readonly { label: string; icon: IconName; dialog: (instanceId: string) => DialogRequest }[];
}

const current = (licenses: readonly LicenseView[]) => licenses.filter((l) => l.status !== 'superseded');

export const KIND_UI: Record<InstanceKind, KindUi> = {
  queuemetrics: {
    hints: { url: 'http://pbx.example:8080/queuemetrics', user: 'keyupdater', userLabel: 'User (needs ROBOT and KEYUPDATE)', secretLabel: 'Password', needsUser: true },
    sidePanel: QueueMetricsPanel,
    rowActions: [{ label: 'Activate PPK…', icon: 'bolt', dialog: (instanceId) => ({ kind: 'activatePpk', instanceId }) }],
  },
  isymphony: {
    hints: { url: 'http://pbx.example:58080', user: 'manager', userLabel: 'User', secretLabel: 'Password', needsUser: true },
    sidePanel: ({ instance }) => <ISymphonyPanel instance={instance} />,
    formFields: ({ form, coreServers }) =>
      coreServers.length ? (
        <Select label="Core server" data={coreServers} value={form.values.coreServer || null} onChange={(c) => form.setFieldValue('coreServer', c ?? '')} placeholder="Pick the core server" allowDeselect={false} />
      ) : (
        <TextInput label="Core server (slug)" placeholder="default" description="Test the connection to pick from the server's list" {...form.getInputProps('coreServer')} />
      ),
  },
  webitel: {
    hints: { url: 'https://webitel.example/api', user: '', userLabel: 'User (optional)', secretLabel: 'Access token', needsUser: false },
    // The registry lists the current grants only; the superseded ones stay in the license history.
    topPanel: ({ instance, licenses }) => <WebitelPanel instance={instance} licenses={current(licenses)} />,
    formFields: ({ form }) => (
      <TextInput
        label="Operator's domain ID (optional)"
        description="Lets Keyfleet tell in advance which license holders may be forced offline (only users of your own domain)"
        {...form.getInputProps('domainId')}
      />
    ),
    licensesListedElsewhere: (n) => `${n} active grant${n === 1 ? '' : 's'}: see the registry above.`,
  },
};

export const KIND_OPTIONS = (Object.keys(KIND_UI) as InstanceKind[]).map((k) => ({ value: k, label: vendorLabel(k) }));
