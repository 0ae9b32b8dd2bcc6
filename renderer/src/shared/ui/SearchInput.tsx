import { CloseButton, Kbd, TextInput } from '@mantine/core';
import { useWindowEvent } from '@mantine/hooks';
import { forwardRef, useRef } from 'react';
import { Icon } from './Icon.tsx';

/** The list's search box; "/" focuses it from anywhere on the page. */
export const SearchInput = forwardRef<HTMLInputElement, { value: string; onChange: (v: string) => void; label: string; placeholder?: string; w?: number | string }>(
  function SearchInput({ value, onChange, label, placeholder, w = 260 }, forwarded) {
    const local = useRef<HTMLInputElement>(null);
    useWindowEvent('keydown', (e) => {
      const t = e.target as HTMLElement | null;
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable)) return;
      e.preventDefault();
      local.current?.focus();
    });
    return (
      <TextInput
        ref={(el) => {
          local.current = el;
          if (typeof forwarded === 'function') forwarded(el);
          else if (forwarded) forwarded.current = el;
        }}
        size="xs"
        w={w}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && value) {
            e.stopPropagation();
            onChange('');
          }
        }}
        placeholder={placeholder ?? 'Search'}
        aria-label={label}
        leftSection={<Icon name="search" size={14} />}
        rightSection={value ? <CloseButton size="sm" aria-label="Clear search" onClick={() => onChange('')} /> : <Kbd size="xs">/</Kbd>}
        type="search"
        spellCheck={false}
      />
    );
  },
);
