import { Kbd, Modal, Table } from '@mantine/core';
import { SHORTCUTS, shortcutLabel } from './shortcuts.ts';

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  return (
    <Modal opened onClose={onClose} title="Keyboard shortcuts" size="lg">
      <Table verticalSpacing={6} aria-label="Keyboard shortcuts">
        <Table.Tbody>
          {SHORTCUTS.map((s) => (
            <Table.Tr key={s.keys}>
              <Table.Td w={220}>
                {s.keys.split(' ').map((k, i) => (
                  <span key={i}>
                    {k === '…' ? ' … ' : <Kbd size="xs">{k.includes('+') ? shortcutLabel(k) : k}</Kbd>}{' '}
                  </span>
                ))}
              </Table.Td>
              <Table.Td>{s.what}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Modal>
  );
}
