import { Button, Popover, Text } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Icon } from '../../components/Icon.tsx';
import { useMutation } from '../../hooks/useMutation.ts';
import type { SourceView } from '../../types.ts';

/** PingHttp: is the QLM server there, which version, and how far its clock is from ours. */
export function QlmPingButton({ source }: { source: SourceView }) {
  const ping = useMutation('qlmPing');
  const [open, setOpen] = useState(false);
  const skew = ping.result?.skewMs;
  return (
    <Popover opened={open} onChange={setOpen} width={340} position="bottom-end" withArrow>
      <Popover.Target>
        <Button
          size="compact-xs"
          variant="subtle"
          leftSection={<Icon name="plug" size={12} />}
          loading={ping.running}
          onClick={() => {
            setOpen(true);
            void ping.run({ source: source.id });
          }}
        >
          Test
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <ErrorAlert error={ping.error} compact />
        {ping.result ? (
          <div role="status">
            <Text size="sm" fw={600}>
              {ping.result.message}
            </Text>
            <Text size="xs" c="dimmed">
              Version {ping.result.serverVersion ?? 'unknown'} · server time {ping.result.serverDate ?? 'unknown'}
              {skew !== null && skew !== undefined ? ` · clock ${Math.abs(Math.round(skew / 1000))} s ${skew >= 0 ? 'ahead' : 'behind'}` : ''}
            </Text>
          </div>
        ) : null}
        {ping.running ? <Text size="sm">Connecting…</Text> : null}
      </Popover.Dropdown>
    </Popover>
  );
}
