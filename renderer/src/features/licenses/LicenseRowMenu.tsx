import { Menu } from '@mantine/core';
import { useEffect, useRef, useState, type ReactElement } from 'react';
import { GridIconButton } from '../../shared/ui/GridCells.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { useApp } from '../../app/useApp.ts';
import { activeSnooze, formatDate, formatStages } from '../../shared/format.ts';
import type { LicenseView } from '../../shared/types.ts';
import './licenses.css';

export interface LicenseRowActions {
  setMuted: (l: LicenseView, muted: boolean) => void;
  snooze: (l: LicenseView, days: number) => void;
  askSnooze: (l: LicenseView) => void;
}

/**
 * The row's "…" menu. A closed menu is a plain button: the Mantine Menu (with its popover
 * machinery) is mounted only once it is opened, since the table shows dozens of rows.
 */
export function LicenseRowMenu({ license: l, actions }: { license: LicenseView; actions: LicenseRowActions }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(false);
  // The button is mounted anew when the menu closes: give it the focus Mantine returned to the old one.
  useEffect(() => {
    if (wasOpen.current && !open) button.current?.focus();
    wasOpen.current = open;
  }, [open]);
  const label = `${l.product}${l.instance ? ` on ${l.instance}` : l.client ? ` for ${l.client}` : ''}`;
  const trigger = (
    <GridIconButton
      ref={button}
      icon="dots"
      size="sm"
      aria-label={`Actions for license ${label}`}
      aria-haspopup="menu"
      aria-expanded={open}
      onClick={(e) => {
        e.stopPropagation();
        setOpen(true);
      }}
    />
  );
  if (!open) return trigger;
  return <OpenLicenseRowMenu license={l} actions={actions} onClose={() => setOpen(false)} trigger={trigger} />;
}

function OpenLicenseRowMenu({ license: l, actions, onClose, trigger }: { license: LicenseView; actions: LicenseRowActions; onClose: () => void; trigger: ReactElement }) {
  const { navigate, openDialog } = useApp();
  const snoozed = activeSnooze(l);
  return (
    <Menu opened onChange={(o) => !o && onClose()} position="bottom-end" withinPortal>
      <Menu.Target>{trigger}</Menu.Target>
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
        {snoozed || l.reminderStages ? (
          <div className="kf-menu-note" role="note">
            {snoozed ? <div>Snoozed until {formatDate(snoozed)}</div> : null}
            {l.reminderStages ? <div>Own stages: {formatStages(l.reminderStages)} before expiry</div> : null}
          </div>
        ) : null}
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
