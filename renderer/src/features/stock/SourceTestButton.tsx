import { Button, Popover, Text } from '@mantine/core';
import { useWindowEvent } from '@mantine/hooks';
import { useState } from 'react';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { useApiMutation } from '../../shared/api/queries.ts';
import type { SourceView } from '../../shared/types.ts';

/** "Test": a QLM source is pinged, a Loway key server asked for its status line; both say how far the server's clock is from ours. */
export function SourceTestButton({ source }: { source: SourceView }) {
  const test = useApiMutation('testSource');
  const [open, setOpen] = useState(false);
  const skew = test.data?.skewMs;
  // Focus is not inside the popover (the button is disabled while it loads), where Mantine listens for Escape.
  useWindowEvent('keydown', (e) => {
    if (open && e.key === 'Escape') setOpen(false);
  });
  return (
    <Popover opened={open} onChange={setOpen} width={360} position="bottom-end" withArrow>
      <Popover.Target>
        <Button
          size="compact-xs"
          variant="subtle"
          leftSection={<Icon name="plug" size={12} />}
          loading={test.isPending}
          aria-label={`Test key source ${source.name}`}
          onClick={() => {
            setOpen(true);
            test.mutate({ ref: source.id });
          }}

        >
          Test
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <ErrorAlert error={test.error} compact />
        {test.data && !test.isPending ? (
          <div role="status">
            <Text size="sm" fw={600}>
              {test.data.summary}
            </Text>
            <Text size="xs" c="dimmed">
              {skew === null || skew === undefined ? 'The server did not say its time.' : `Server clock ${Math.abs(Math.round(skew / 1000))} s ${skew >= 0 ? 'ahead' : 'behind'}${Math.abs(skew) > 300_000 ? ': check its time, expiry dates may be off by a day' : ''}.`}
            </Text>
            {source.kind === 'qlm' ? (
              <Text size="xs" c="dimmed" mt={4}>
                QLM answers a ping without signing in: a wrong password shows only when keys are created or changed.
              </Text>
            ) : null}
          </div>
        ) : null}
        {test.isPending ? <Text size="sm">Connecting…</Text> : null}
      </Popover.Dropdown>
    </Popover>
  );
}
