import { Button, Group, Popover, Select, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { Icon } from '../../shared/ui/Icon.tsx';
import type { SavedView } from './savedViews.ts';
import { TooltipIconButton } from '../../shared/ui/TooltipIconButton.tsx';

/** Named filter + sort + column sets, kept in localStorage. */
export function SavedViews({
  views,
  current,
  onApply,
  onSave,
  onDelete,
}: {
  views: SavedView[];
  current: string | null;
  onApply: (v: SavedView) => void;
  onSave: (name: string) => void;
  onDelete: (name: string) => void;
}) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const trimmed = name.trim();
  return (
    <Group gap={4} wrap="nowrap">
      <Select
        size="xs"
        w={160}
        placeholder={views.length ? 'Saved views' : 'No saved views'}
        aria-label="Saved views"
        data={views.map((v) => v.name)}
        value={current}
        onChange={(n) => {
          const v = views.find((x) => x.name === n);
          if (v) onApply(v);
        }}
        disabled={views.length === 0}
        clearable={false}
      />
      {current ? (
        <TooltipIconButton icon="trash" tooltip={`Delete view “${current}”`} label={`Delete saved view ${current}`} onClick={() => onDelete(current)} size="md" />
      ) : null}
      <Popover opened={open} onChange={setOpen} position="bottom-end" trapFocus withArrow>
        <Popover.Target>
          <Button size="xs" variant="default" leftSection={<Icon name="save" size={14} />} onClick={() => setOpen((o) => !o)}>
            Save view
          </Button>
        </Popover.Target>
        <Popover.Dropdown>
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              if (!trimmed) return;
              onSave(trimmed);
              setName('');
              setOpen(false);
            }}
          >
            <Stack gap="xs" w={220}>
              <TextInput
                size="xs"
                label="View name"
                placeholder="Expiring QM, EU"
                value={name}
                onChange={(e) => setName(e.currentTarget.value)}
                data-autofocus
                error={views.some((v) => v.name === trimmed) ? 'Saving replaces the view with this name' : undefined}
              />
              <Button size="xs" type="submit" disabled={!trimmed}>
                Save current filters
              </Button>
            </Stack>
          </form>
        </Popover.Dropdown>
      </Popover>
    </Group>
  );
}
