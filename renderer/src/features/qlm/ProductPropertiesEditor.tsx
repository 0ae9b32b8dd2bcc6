import { ActionIcon, Button, Code, Group, NumberInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { Icon } from '../../shared/ui/Icon.tsx';
import type { Input } from '../../shared/types.ts';

export type ProductProperty = NonNullable<Input<'qlmUpdate'>['productProperties']>[number];

export interface PropertyRow {
  category: string;
  name: string;
  kind: 'text' | 'number' | 'relative';
  value: string;
  expires: string;
}

export const EMPTY_PROPERTY: PropertyRow = { category: '', name: '', kind: 'text', value: '', expires: '' };

function valueText(r: PropertyRow): string {
  if (r.kind === 'relative') {
    const n = Number(r.value);
    return Number.isFinite(n) ? (n >= 0 ? `+${n}` : String(n)) : r.value;
  }
  return r.value;
}

/** QLM's is_pp: category.name::value::expiry joined by ||, relative integers as +N / -N. */
export function propertiesString(rows: readonly PropertyRow[]): string {
  return rows.map((r) => `${r.category}.${r.name}::${valueText(r)}${r.expires ? `::${r.expires}` : ''}`).join('||');
}

/** Rows → the contract's productProperties, or the first problem found (naming the row). */
export function toProductProperties(rows: readonly PropertyRow[]): { properties: ProductProperty[]; error: string | null } {
  const properties: ProductProperty[] = [];
  for (const [i, r] of rows.entries()) {
    const n = `Property ${i + 1}`;
    if (!r.category.trim()) return { properties, error: `${n}: category is required` };
    if (!r.name.trim()) return { properties, error: `${n}: name is required` };
    if (r.expires && !/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$/.test(r.expires.trim())) return { properties, error: `${n}: expiry must look like 2026-12-31 or 2026-12-31 23:59:59` };
    let value: ProductProperty['value'];
    if (r.kind === 'text') value = r.value;
    else {
      const num = Number(r.value);
      if (r.value.trim() === '' || !Number.isFinite(num)) return { properties, error: `${n}: value must be a number` };
      if (r.kind === 'relative' && !Number.isInteger(num)) return { properties, error: `${n}: a relative change must be a whole number` };
      value = r.kind === 'relative' ? { relative: num } : num;
    }
    properties.push({ category: r.category.trim(), name: r.name.trim(), value, ...(r.expires.trim() ? { expires: r.expires.trim() } : {}) });
  }
  return { properties, error: null };
}

export function ProductPropertiesEditor({ value, onChange }: { value: PropertyRow[]; onChange: (rows: PropertyRow[]) => void }) {
  const update = (i: number, patch: Partial<PropertyRow>) => onChange(value.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <Stack gap={6}>
      {value.map((r, i) => (
        <Group key={i} gap={6} wrap="nowrap" align="flex-end">
          <TextInput size="xs" label={i === 0 ? 'Category' : undefined} aria-label={`Property ${i + 1} category`} placeholder="limits" value={r.category} onChange={(e) => update(i, { category: e.currentTarget.value })} w={110} />
          <TextInput size="xs" label={i === 0 ? 'Name' : undefined} aria-label={`Property ${i + 1} name`} placeholder="agents" value={r.name} onChange={(e) => update(i, { name: e.currentTarget.value })} w={110} />
          <Select
            size="xs"
            label={i === 0 ? 'Type' : undefined}
            aria-label={`Property ${i + 1} type`}
            data={[
              { value: 'text', label: 'Text' },
              { value: 'number', label: 'Number' },
              { value: 'relative', label: '+/− change' },
            ]}
            value={r.kind}
            onChange={(k) => update(i, { kind: (k as PropertyRow['kind']) ?? 'text' })}
            w={110}
            allowDeselect={false}
          />
          {r.kind === 'text' ? (
            <TextInput size="xs" label={i === 0 ? 'Value' : undefined} aria-label={`Property ${i + 1} value`} value={r.value} onChange={(e) => update(i, { value: e.currentTarget.value })} w={120} />
          ) : (
            <NumberInput
              size="xs"
              label={i === 0 ? 'Value' : undefined}
              aria-label={`Property ${i + 1} value`}
              value={r.value === '' ? '' : Number(r.value)}
              onChange={(v) => update(i, { value: String(v) })}
              allowDecimal={r.kind === 'number'}
              prefix={r.kind === 'relative' && Number(r.value) > 0 ? '+' : undefined}
              w={120}
            />
          )}
          <TextInput size="xs" label={i === 0 ? 'Expires (optional)' : undefined} aria-label={`Property ${i + 1} expiry`} placeholder="2026-12-31 23:59:59" value={r.expires} onChange={(e) => update(i, { expires: e.currentTarget.value })} w={160} />
          <ActionIcon size="md" variant="subtle" color="red" aria-label={`Remove property ${i + 1}`} onClick={() => onChange(value.filter((_, j) => j !== i))}>
            <Icon name="trash" size={13} />
          </ActionIcon>
        </Group>
      ))}
      <Group justify="space-between">
        <Button size="xs" variant="light" leftSection={<Icon name="plus" size={13} />} onClick={() => onChange([...value, { ...EMPTY_PROPERTY }])}>
          Add property
        </Button>
        {value.length ? (
          <Text size="xs" c="dimmed" style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
            is_pp <Code fz="xs">{propertiesString(value)}</Code>
          </Text>
        ) : null}
      </Group>
      {value.some((r) => r.kind === 'relative') ? (
        <Text size="xs" c="orange">
          Relative changes are applied on the server each time they are sent: send them once.
        </Text>
      ) : null}
    </Stack>
  );
}
