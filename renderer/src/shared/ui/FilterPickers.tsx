import { MultiSelect, Select, type MultiSelectProps, type SelectProps } from '@mantine/core';

/** What every toolbar filter has: its accessible name and what it reads while nothing is picked. */
interface FilterNames {
  label: string;
  anyText: string;
}

/** A compact toolbar filter that picks one value and reads "Any …" while none is picked. */
export function PickOneFilter({ label, anyText, ...props }: FilterNames & Pick<SelectProps, 'w' | 'data' | 'value' | 'onChange' | 'searchable'>) {
  return <Select size="xs" placeholder={anyText} aria-label={label} clearable {...props} />;
}

/** A compact toolbar filter that picks several values and reads "Any …" while none is picked. */
export function PickAnyFilter({ label, anyText, value, ...props }: FilterNames & { value: string[] } & Pick<MultiSelectProps, 'w' | 'data' | 'onChange' | 'searchable' | 'maxDropdownHeight'>) {
  return <MultiSelect size="xs" value={value} placeholder={value.length ? undefined : anyText} aria-label={label} clearable {...props} />;
}
