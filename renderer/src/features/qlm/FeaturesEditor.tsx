import { Button, Checkbox, Code, Group, NumberInput, Paper, Stack, Text } from '@mantine/core';
import { Icon } from '../../shared/ui/Icon.tsx';
import './qlm.css';
import { TooltipIconButton } from '../../shared/ui/TooltipIconButton.tsx';

export interface FeatureSet {
  set: number;
  mask: number;
}

export const FEATURE_BITS = 31;

/** QLM's is_features form: "0:1;1:2" = feature set : bitmask. */
export function featuresString(sets: readonly FeatureSet[]): string {
  return sets.map((s) => `${s.set}:${s.mask}`).join(';');
}

/** Feature sets edited as bit checkboxes, never as a raw string. */
export function FeaturesEditor({ value, onChange }: { value: FeatureSet[]; onChange: (v: FeatureSet[]) => void }) {
  const update = (i: number, next: FeatureSet) => onChange(value.map((s, j) => (j === i ? next : s)));
  const nextSet = value.length ? Math.max(...value.map((s) => s.set)) + 1 : 0;
  return (
    <Stack gap="xs">
      {value.map((s, i) => (
        <Paper key={i} withBorder p="xs" radius="sm">
          <Group justify="space-between" mb={6} wrap="nowrap">
            <Group gap="xs" wrap="nowrap">
              <NumberInput size="xs" w={120} label="Feature set" min={0} max={1000} allowDecimal={false} value={s.set} onChange={(v) => update(i, { ...s, set: Number(v) || 0 })} />
              <Text size="xs" c="dimmed" mt={18} className="kf-num">
                mask {s.mask} (0x{s.mask.toString(16)})
              </Text>
            </Group>
            <Group gap={4} mt={18} wrap="nowrap">
              <Button size="compact-xs" variant="subtle" onClick={() => update(i, { ...s, mask: 2 ** FEATURE_BITS - 1 })}>
                All
              </Button>
              <Button size="compact-xs" variant="subtle" onClick={() => update(i, { ...s, mask: 0 })}>
                None
              </Button>
              <TooltipIconButton icon="trash" tooltip="Remove this feature set" label={`Remove feature set ${s.set}`} onClick={() => onChange(value.filter((_, j) => j !== i))} danger iconSize={13} />
            </Group>
          </Group>
          <div className="kf-bits" role="group" aria-label={`Features of set ${s.set}`}>
            {Array.from({ length: FEATURE_BITS }, (_, bit) => {
              const flag = 2 ** bit;
              const on = (s.mask & flag) !== 0;
              return (
                <Checkbox
                  key={bit}
                  size="xs"
                  label={`F${bit}`}
                  title={`Feature ${bit} (value ${flag})`}
                  aria-label={`Set ${s.set} feature ${bit}`}
                  checked={on}
                  onChange={(e) => update(i, { ...s, mask: e.currentTarget.checked ? s.mask | flag : s.mask & ~flag })}
                />
              );
            })}
          </div>
        </Paper>
      ))}
      <Group justify="space-between">
        <Button size="xs" variant="light" leftSection={<Icon name="plus" size={13} />} onClick={() => onChange([...value, { set: nextSet, mask: 0 }])}>
          Add feature set
        </Button>
        {value.length ? (
          <Text size="xs" c="dimmed">
            is_features <Code fz="xs">{featuresString(value) || '—'}</Code>
          </Text>
        ) : null}
      </Group>
    </Stack>
  );
}
