import { Select } from '@mantine/core';
import { useApiQuery } from '../../shared/api/queries.ts';

/** The QLM account to use; with one account the server picks it and the field only shows it. */
export function QlmSourceSelect({ value, onChange }: { value: string | null; onChange: (id: string | null) => void }) {
  const sources = useApiQuery('listSources', {});
  const qlm = (sources.data ?? []).filter((s) => s.kind === 'qlm');
  return (
    <Select
      size="xs"
      label="QLM source"
      placeholder={qlm.length === 0 ? 'No QLM source yet (add one in Key stock)' : qlm.length === 1 ? qlm[0]!.name : 'Pick a QLM source'}
      data={qlm.map((s) => ({ value: s.id, label: `${s.name} (${s.url})` }))}
      value={value}
      onChange={onChange}
      clearable
      disabled={qlm.length <= 1}
    />
  );
}
