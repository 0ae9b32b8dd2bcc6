import { Button, Checkbox, Popover, Stack, Text } from '@mantine/core';
import type { Table } from '@tanstack/react-table';
import { Icon } from '../../shared/ui/Icon.tsx';

/** Show or hide columns; plain checkboxes, so it works with Tab and Space. */
export function ColumnChooser<T>({ table }: { table: Table<T> }) {
  const columns = table.getAllLeafColumns().filter((c) => c.getCanHide());
  return (
    <Popover position="bottom-end" withArrow trapFocus shadow="md">
      <Popover.Target>
        <Button size="xs" variant="default" leftSection={<Icon name="columns" size={14} />} aria-label="Choose columns">
          Columns
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Text size="xs" fw={600} c="dimmed" mb={6}>
          Show columns
        </Text>
        <Stack gap={6} role="group" aria-label="Columns">
          {columns.map((c) => {
            const label = c.columnDef.meta?.label ?? (typeof c.columnDef.header === 'string' ? c.columnDef.header : c.id);
            return <Checkbox key={c.id} size="xs" label={label} checked={c.getIsVisible()} onChange={c.getToggleVisibilityHandler()} />;
          })}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
