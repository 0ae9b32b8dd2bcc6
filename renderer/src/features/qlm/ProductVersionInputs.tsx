import { NumberInput, SimpleGrid } from '@mantine/core';

type VersionField = 'productId' | 'major' | 'minor';

/** A QLM product and its version, as the create and update dialogs both ask for them. */
export function ProductVersionInputs({ inputProps, maw }: { inputProps: (field: VersionField) => object; maw?: number }) {
  return (
    <SimpleGrid cols={3} spacing="sm" maw={maw}>
      <NumberInput size="xs" label="Product ID" min={0} allowDecimal={false} {...inputProps('productId')} />
      <NumberInput size="xs" label="Major version" min={0} allowDecimal={false} {...inputProps('major')} />
      <NumberInput size="xs" label="Minor version" min={0} allowDecimal={false} {...inputProps('minor')} />
    </SimpleGrid>
  );
}
