import { List, Text, ThemeIcon } from '@mantine/core';
import type { OnboardingView } from '../../shared/types.ts';
import { Icon } from '../../shared/ui/Icon.tsx';

/** Each step with whether it is done and what it did: where a stopped run will resume. */
export function OnboardingSteps({ steps }: { steps: OnboardingView['steps'] }) {
  return (
    <List spacing={6} size="sm" aria-label="Onboarding steps" center>
      {steps.map((s) => (
        <List.Item
          key={s.step}
          data-done={s.done || undefined}
          icon={
            <ThemeIcon size={22} radius="xl" variant={s.done ? 'filled' : 'light'} color={s.done ? 'teal' : 'gray'}>
              {s.done ? <Icon name="check" size={14} /> : <Icon name="dots" size={14} />}
            </ThemeIcon>
          }
        >
          <Text size="sm" fw={600} span>
            {s.label}
          </Text>
          <Text size="sm" c="dimmed" span>
            {s.summary ? ` — ${s.summary}` : s.done ? '' : ' — not done yet'}
          </Text>
        </List.Item>
      ))}
    </List>
  );
}
