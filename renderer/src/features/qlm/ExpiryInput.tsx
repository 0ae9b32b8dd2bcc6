import { Group, NumberInput, SegmentedControl, TextInput } from '@mantine/core';
import type { Input } from '../../shared/types.ts';

export type Expiry = Input<'qlmCreate'>['expiry'];
export interface ExpiryValue {
  mode: 'days' | 'date';
  days: number | string;
  date: string;
}

export function toExpiry(v: ExpiryValue): { expiry: Expiry | null; error: string | null } {
  if (v.mode === 'days') {
    const n = Number(v.days);
    if (!Number.isInteger(n) || n < 1 || n > 100_000) return { expiry: null, error: 'Days must be a whole number from 1' };
    return { expiry: { days: n }, error: null };
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v.date)) return { expiry: null, error: 'Pick a date (YYYY-MM-DD)' };
  return { expiry: { date: v.date }, error: null };
}

export function ExpiryInput({ value, onChange, label = 'Expiry' }: { value: ExpiryValue; onChange: (v: ExpiryValue) => void; label?: string }) {
  const { error } = toExpiry(value);
  return (
    <Group gap="xs" align="flex-end" wrap="nowrap">
      <SegmentedControl
        size="xs"
        aria-label={`${label} as`}
        value={value.mode}
        onChange={(m) => onChange({ ...value, mode: m as ExpiryValue['mode'] })}
        data={[
          { value: 'days', label: 'Days' },
          { value: 'date', label: 'Date' },
        ]}
        mb={error ? 22 : 2}
      />
      {value.mode === 'days' ? (
        <NumberInput size="xs" label={`${label} (days from today)`} min={1} max={100_000} allowDecimal={false} value={value.days} onChange={(d) => onChange({ ...value, days: d })} error={error} w={180} />
      ) : (
        <TextInput size="xs" type="date" label={`${label} (date)`} value={value.date} onChange={(e) => onChange({ ...value, date: e.currentTarget.value })} error={error} w={180} />
      )}
    </Group>
  );
}
