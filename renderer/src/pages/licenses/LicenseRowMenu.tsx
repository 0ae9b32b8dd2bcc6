import { ActionIcon, Menu } from '@mantine/core';
import { Icon } from '../../components/Icon.tsx';
import { useApp } from '../../hooks/useApp.ts';
import type { LicenseView } from '../../types.ts';

export interface LicenseRowActions {
  setMuted: (l: LicenseView, muted: boolean) => void;
  snooze: (l: LicenseView, days: number) => void;
  askSnooze: (l: LicenseView) => void;
}

export function LicenseRowMenu({ license: l, actions }: { license: LicenseView; actions: LicenseRowActions }) {
  const { navigate, openDialog } = useApp();
  const label = `${l.product}${l.instance ? ` on ${l.instance}` : l.client ? ` for ${l.client}` : ''}`;
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon size="sm" variant="subtle" color="gray" aria-label={`Actions for license ${label}`} onClick={(e) => e.stopPropagation()}>
          <Icon name="dots" size={14} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown onClick={(e) => e.stopPropagation()}>
        {l.instanceId ? (
          <Menu.Item leftSection={<Icon name="external" size={14} />} onClick={() => navigate({ page: 'instance', instanceId: l.instanceId! })}>
            Open instance
          </Menu.Item>
        ) : null}
        {l.vendor === 'queuemetrics' && l.instanceId ? (
          <>
            <Menu.Item leftSection={<Icon name="bolt" size={14} />} onClick={() => openDialog({ kind: 'activatePpk', instanceId: l.instanceId! })}>
              Activate PPK…
            </Menu.Item>
            <Menu.Item leftSection={<Icon name="upload" size={14} />} onClick={() => openDialog({ kind: 'installStoredKey', instanceId: l.instanceId!, licenseId: l.id })}>
              Install this key…
            </Menu.Item>
          </>
        ) : null}
        {l.vendor === 'qlm' ? (
          <>
            <Menu.Item leftSection={<Icon name="refresh" size={14} />} onClick={() => openDialog({ kind: 'qlmRenew', key: l.key })}>
              Renew on QLM…
            </Menu.Item>
            <Menu.Item leftSection={<Icon name="edit" size={14} />} onClick={() => openDialog({ kind: 'qlmUpdate', key: l.key })}>
              Update on QLM…
            </Menu.Item>
            <Menu.Item leftSection={<Icon name="info" size={14} />} onClick={() => openDialog({ kind: 'qlmValidate', key: l.key })}>
              Check status
            </Menu.Item>
          </>
        ) : null}
        <Menu.Divider />
        <Menu.Label>Reminders</Menu.Label>
        {l.muted ? (
          <Menu.Item leftSection={<Icon name="bell" size={14} />} onClick={() => actions.setMuted(l, false)}>
            Unmute
          </Menu.Item>
        ) : (
          <Menu.Item leftSection={<Icon name="bellOff" size={14} />} onClick={() => actions.setMuted(l, true)}>
            Mute
          </Menu.Item>
        )}
        <Menu.Item leftSection={<Icon name="snooze" size={14} />} onClick={() => actions.snooze(l, 7)}>
          Snooze 7 days
        </Menu.Item>
        <Menu.Item leftSection={<Icon name="snooze" size={14} />} onClick={() => actions.snooze(l, 30)}>
          Snooze 30 days
        </Menu.Item>
        <Menu.Item leftSection={<Icon name="snooze" size={14} />} onClick={() => actions.askSnooze(l)}>
          Snooze for…
        </Menu.Item>
        <Menu.Item leftSection={<Icon name="settings" size={14} />} onClick={() => openDialog({ kind: 'licenseSettings', license: l })}>
          Client and reminder stages…
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
