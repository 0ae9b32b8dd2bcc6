import { Badge, Group, Text } from '@mantine/core';

export function TagList({ tags, max = 3 }: { tags: readonly string[]; max?: number }) {
  if (tags.length === 0) return <Text size="sm" c="dimmed">—</Text>;
  return (
    <Group gap={4} wrap="nowrap" style={{ overflow: 'hidden' }} title={tags.join(', ')}>
      {tags.slice(0, max).map((t) => (
        <Badge key={t} size="xs" variant="outline" color="gray" radius="sm" tt="none">
          {t}
        </Badge>
      ))}
      {tags.length > max ? <Text size="xs" c="dimmed">+{tags.length - max}</Text> : null}
    </Group>
  );
}
