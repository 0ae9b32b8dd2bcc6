import { List, Text } from '@mantine/core';
import type { ApiError } from '../api/bridge.ts';
import { nextStepSentence, nextSteps } from '../nextSteps.ts';

/** Under an error: what the user can do next in the app, when the service said. */
export function NextSteps({ error, except = [] }: { error: ApiError | null; except?: readonly string[] }) {
  const steps = nextSteps(error).filter((s) => !except.includes(s.kind));
  if (steps.length === 0) return null;
  return (
    <div role="note" aria-label="Next steps">
      <Text size="sm" fw={500}>
        What you can do
      </Text>
      <List size="sm" spacing={2}>
        {steps.map((s) => (
          <List.Item key={s.kind}>{nextStepSentence(s)}</List.Item>
        ))}
      </List>
    </div>
  );
}
