import { Badge, Button, Group, Paper, Progress, Stack, Text, Title } from '@mantine/core';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { useApp } from '../../app/useApp.ts';
import { useApiQuery } from '../../shared/api/queries.ts';
import { shortStockLabel } from '../../shared/format.ts';

/** PPK stock per product/size/duration, low groups first. */
export function StockLevels() {
  const { navigate, openDialog } = useApp();
  const stock = useApiQuery('ppkStock', {});
  const groups = (stock.data ?? []).slice().sort((a, b) => Number(b.low) - Number(a.low) || a.label.localeCompare(b.label));
  const low = groups.filter((g) => g.low).length;
  return (
    <Paper withBorder radius="md" p="md" className="kf-card">
      <Group justify="space-between" mb="xs">
        <Group gap="xs">
          <Title order={4}>PPK stock</Title>
          {low ? (
            <Badge color="red" size="sm" variant="light" leftSection={<Icon name="alert" size={11} />}>
              {low} low
            </Badge>
          ) : null}
        </Group>
        <Group gap={4}>
          <Button variant="subtle" size="compact-xs" leftSection={<Icon name="upload" size={12} />} onClick={() => openDialog({ kind: 'importPpks' })}>
            Import
          </Button>
          <Button variant="subtle" size="compact-xs" onClick={() => navigate({ page: 'stock' })} rightSection={<Icon name="external" size={12} />}>
            Key stock
          </Button>
        </Group>
      </Group>
      <ErrorAlert error={stock.error} onRetry={stock.refetch} compact />
      {!stock.error && groups.length === 0 && !stock.isFetching ? (
        <Text size="sm" c="dimmed">
          No PPKs in stock. Paste the pre-purchased keys you bought from Loway to keep them here.
        </Text>
      ) : null}
      <Stack gap={8}>
        {groups.slice(0, 8).map((g) => {
          const total = Math.max(1, g.inStock + g.converted + g.installed);
          return (
            <div key={g.key} title={g.label}>
              <div className="kf-stock-row">
                <Text size="sm" truncate>
                  {shortStockLabel(g)}
                </Text>
                <Text size="sm" className="kf-num" style={{ whiteSpace: 'nowrap' }} aria-label={`${g.inStock} in stock, minimum ${g.threshold}`}>
                  <Text span fw={650} c={g.low ? 'red' : undefined}>
                    {g.inStock}
                  </Text>
                  <Text span size="xs" c="dimmed">
                    {' '}
                    / min {g.threshold}
                    {g.low ? ' · low' : ''}
                  </Text>
                </Text>
              </div>
              <Progress.Root size={5} mt={4} aria-label={`${g.label}: ${g.inStock} in stock, ${g.converted} converted, ${g.installed} installed`}>
                <Progress.Section value={(g.inStock / total) * 100} color={g.low ? 'red' : 'teal'} />
                <Progress.Section value={(g.converted / total) * 100} color="yellow" />
                <Progress.Section value={(g.installed / total) * 100} color="gray" />
              </Progress.Root>
            </div>
          );
        })}
      </Stack>
    </Paper>
  );
}
