import { Alert, List, Text } from '@mantine/core';
import { Icon } from '../../shared/ui/Icon.tsx';
import { daysLeftSentence, formatDate } from '../../shared/format.ts';
import type { ActivationResult } from '../../shared/types.ts';
import { NewKeyFacts } from '../../shared/ui/NewKeyFacts.tsx';

export function ActivationResultView({ result }: { result: ActivationResult }) {
  const ok = result.installed && result.verified;
  return (
    <Alert color={ok ? 'teal' : 'yellow'} variant="light" icon={<Icon name={ok ? 'check' : 'alert'} />} title={ok ? 'Key installed and verified' : result.installed ? 'Key installed, not verified yet' : 'Key stored, not installed'} role="status">
      <NewKeyFacts keyValue={result.license.key} product={result.license.product} expires={`${formatDate(result.license.expiresAt)} (${daysLeftSentence(result.license.daysLeft)})`}>
        {result.ppk ? (
          <>
            <dt>PPK</dt>
            <dd>
              <Text span ff="monospace" size="xs">
                {result.ppk.ppk}
              </Text>{' '}
              ({result.ppk.state})
            </dd>
          </>
        ) : null}
      </NewKeyFacts>
      {result.warnings.length ? (
        <List size="sm" mt="xs" c="orange">
          {result.warnings.map((w) => (
            <List.Item key={w}>{w}</List.Item>
          ))}
        </List>
      ) : null}
    </Alert>
  );
}
