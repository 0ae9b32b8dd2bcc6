import { Button, Modal, NumberInput, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { LicenseView } from '../../shared/types.ts';
import { DialogActions } from '../../shared/ui/DialogActions.tsx';

export function SnoozeDialog({ license, onClose, onSnooze }: { license: LicenseView | null; onClose: () => void; onSnooze: (l: LicenseView, days: number) => void }) {
  const [days, setDays] = useState<number | string>(14);
  useEffect(() => {
    if (license) setDays(14);
  }, [license]);
  const n = typeof days === 'number' ? days : Number(days);
  const valid = Number.isInteger(n) && n >= 1 && n <= 3650;
  return (
    <Modal opened={license !== null} onClose={onClose} title="Snooze reminders" size="sm">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (license && valid) {
            onSnooze(license, n);
            onClose();
          }
        }}
      >
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            No reminder for {license?.product}
            {license?.instance ? ` on ${license.instance}` : ''} until the snooze ends.
          </Text>
          <NumberInput label="Days" min={1} max={3650} value={days} onChange={setDays} data-autofocus error={valid ? undefined : 'Between 1 and 3650 days'} />
          <DialogActions onClose={onClose}>
            <Button type="submit" disabled={!valid}>
              Snooze
            </Button>
          </DialogActions>
        </Stack>
      </form>
    </Modal>
  );
}
