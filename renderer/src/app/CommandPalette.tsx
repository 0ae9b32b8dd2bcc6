import { Kbd, Modal, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Icon, type IconName } from '../shared/ui/Icon.tsx';
import { shortcutLabel } from './shortcuts.ts';
import './palette.css';

export interface Command {
  id: string;
  label: string;
  group: string;
  icon?: IconName;
  keywords?: string;
  shortcut?: string;
  run: () => void;
}

/** Commands whose label or keywords contain every typed word; label-prefix matches first. */
export function filterCommands(commands: readonly Command[], query: string): Command[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...commands];
  const words = q.split(/\s+/);
  const scored: Array<{ c: Command; score: number }> = [];
  for (const c of commands) {
    const label = c.label.toLowerCase();
    const hay = `${label} ${c.group.toLowerCase()} ${c.keywords?.toLowerCase() ?? ''}`;
    if (!words.every((w) => hay.includes(w))) continue;
    const score = label === q ? 0 : label.startsWith(q) ? 1 : label.includes(q) ? 2 : 3;
    scored.push({ c, score });
  }
  return scored.sort((a, b) => a.score - b.score).map((s) => s.c);
}

/** Ctrl/Cmd+K: type to filter every navigation and action, arrows to move, Enter to run. */
export function CommandPalette({ opened, onClose, commands }: { opened: boolean; onClose: () => void; commands: readonly Command[] }) {
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  const listId = useId();
  const listRef = useRef<HTMLDivElement>(null);
  const results = useMemo(() => filterCommands(commands, query).slice(0, 60), [commands, query]);

  useEffect(() => {
    if (opened) {
      setQuery('');
      setIndex(0);
    }
  }, [opened]);
  useEffect(() => setIndex(0), [query]);
  useEffect(() => {
    listRef.current?.querySelector<HTMLElement>('[data-active="true"]')?.scrollIntoView?.({ block: 'nearest' });
  }, [index]);

  const runAt = (i: number) => {
    const c = results[i];
    if (!c) return;
    onClose();
    // Let the palette close first so a dialog the command opens gets the focus.
    setTimeout(() => c.run(), 0);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setIndex((i) => (results.length ? (i + 1) % results.length : 0));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setIndex((i) => (results.length ? (i - 1 + results.length) % results.length : 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      runAt(index);
    }
  };

  let lastGroup = '';
  return (
    <Modal.Root opened={opened} onClose={onClose} size="lg" yOffset="12vh">
      <Modal.Overlay blur={2} backgroundOpacity={0.35} />
      <Modal.Content aria-label="Command palette" className="kf-palette">
        <Modal.Body p={0}>
      <TextInput
        data-autofocus
        value={query}
        onChange={(e) => setQuery(e.currentTarget.value)}
        onKeyDown={onKeyDown}
        placeholder="Type a command or a page…"
        aria-label="Command"
        role="combobox"
        aria-expanded="true"
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={results[index] ? `${listId}-${results[index].id}` : undefined}
        leftSection={<Icon name="search" />}
        size="md"
        variant="unstyled"
        className="kf-palette-input"
        autoComplete="off"
        spellCheck={false}
      />
      <div id={listId} role="listbox" aria-label="Commands" className="kf-palette-list" ref={listRef}>
        {results.length === 0 ? (
          <Text size="sm" c="dimmed" p="md">
            No command matches “{query}”.
          </Text>
        ) : (
          results.map((c, i) => {
            const header = c.group !== lastGroup ? c.group : null;
            lastGroup = c.group;
            return (
              <div key={c.id}>
                {header ? <div className="kf-palette-group" aria-hidden="true">{header}</div> : null}
                <UnstyledButton
                  id={`${listId}-${c.id}`}
                  role="option"
                  aria-selected={i === index}
                  data-active={i === index}
                  className="kf-palette-item"
                  tabIndex={-1}
                  onMouseMove={() => setIndex(i)}
                  onClick={() => runAt(i)}
                >
                  <Icon name={c.icon ?? 'command'} size={15} />
                  <span className="kf-palette-label">{c.label}</span>
                  {c.shortcut ? <Kbd size="xs">{shortcutLabel(c.shortcut)}</Kbd> : null}
                </UnstyledButton>
              </div>
            );
          })
        )}
      </div>
      <div className="kf-palette-foot">
        <span><Kbd size="xs">↑</Kbd> <Kbd size="xs">↓</Kbd> move</span>
        <span><Kbd size="xs">Enter</Kbd> run</span>
        <span><Kbd size="xs">Esc</Kbd> close</span>
      </div>
        </Modal.Body>
      </Modal.Content>
    </Modal.Root>
  );
}
