import { useState } from 'react';
import { Alert, Button, Code, Group, Stack, Text } from '@mantine/core';
import { DoneAlert } from '../../shared/ui/DoneAlert.tsx';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { useApiMutation } from '../../shared/api/queries.ts';
import type { ConnectionTestResult, Input } from '../../shared/types.ts';

function fingerprintOf(details: Record<string, unknown> | undefined): string | null {
  const fp = details?.fingerprint ?? details?.sha256 ?? details?.certSha256;
  return typeof fp === 'string' && fp ? fp : null;
}

/**
 * "Test connection" before saving. An untrusted (self-signed) certificate shows its SHA-256
 * fingerprint and can be trusted, which pins it on the instance (trust on first use).
 */
export function ConnectionTest({
  input,
  canTest,
  onTrust,
  onResult,
}: {
  input: () => Input<'testInstance'> | null;
  canTest: boolean;
  onTrust: (fingerprint: string) => void;
  onResult?: (r: ConnectionTestResult) => void;
}) {
  const test = useApiMutation('testInstance');
  const [pinned, setPinned] = useState<string | null>(null);
  const trust = (fp: string) => {
    onTrust(fp);
    test.reset();
    setPinned(fp);
  };
  const run = () => {
    setPinned(null);
    const i = input();
    if (!i) return;
    test.mutate(i, { onSuccess: (result) => onResult?.(result) });
  };
  const err = test.error;
  const fp = err ? fingerprintOf(err.details) : null;
  return (
    <Stack gap={6}>
      <Group gap="xs">
        <Button variant="default" leftSection={<Icon name="plug" size={14} />} onClick={run} loading={test.isPending} disabled={!canTest}>
          Test connection
        </Button>
        {!canTest ? (
          <Text size="xs" c="dimmed">
            Fill in the URL first
          </Text>
        ) : null}
      </Group>
      {pinned ? (
        <Text size="xs" c="teal" role="status">
          Certificate pinned ({pinned.slice(0, 11)}…). Test again to confirm, then save.
        </Text>
      ) : null}
      {test.data && !test.isPending && !err ? (
        <DoneAlert title="Connected">
          <Text size="sm">{test.data.summary}</Text>
          {test.data.certSha256 ? (
            <Text size="xs" c="dimmed" mt={4}>
              Certificate SHA-256 <Code fz="xs">{test.data.certSha256}</Code>
            </Text>
          ) : null}
        </DoneAlert>
      ) : null}
      {err && err.code === 'TLS_UNTRUSTED' ? (
        <Alert color="yellow" variant="light" icon={<Icon name="shield" />} title="Certificate not trusted" role="alert">
          <Text size="sm">{err.message}</Text>
          {fp ? (
            <>
              <Text size="sm" mt={6}>
                Compare this fingerprint with the one on the server before trusting it:
              </Text>
              <Code block fz="xs" mt={4} aria-label="Certificate fingerprint">
                {fp}
              </Code>
              <Button mt={8} size="xs" color="yellow" leftSection={<Icon name="shield" size={14} />} onClick={() => trust(fp)}>
                Trust this certificate
              </Button>
            </>
          ) : null}
        </Alert>
      ) : err && err.code === 'TLS_PIN_MISMATCH' ? (
        <Alert color="red" variant="light" icon={<Icon name="alert" />} title="Certificate changed" role="alert">
          <Text size="sm">{err.message}</Text>
          {fp ? (
            <>
              <Code block fz="xs" mt={4}>
                {fp}
              </Code>
              <Button mt={8} size="xs" color="red" variant="light" onClick={() => trust(fp)}>
                Trust the new certificate instead
              </Button>
            </>
          ) : null}
        </Alert>
      ) : (
        <ErrorAlert error={err} compact />
      )}
    </Stack>
  );
}
