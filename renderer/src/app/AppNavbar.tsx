import { Badge, NavLink, ScrollArea, Stack, Text } from '@mantine/core';
import { useApp } from './useApp.ts';
import { useApiQuery } from '../shared/api/queries.ts';
import { NAV_ITEMS } from './routes.ts';
import { shortcutLabel } from './shortcuts.ts';
import { Icon } from '../shared/ui/Icon.tsx';
import { NAV_ICONS } from './navIcons.ts';

export function AppNavbar() {
  const { route, navigate } = useApp();
  const dashboard = useApiQuery('getDashboard', {});
  const info = useApiQuery('getAppInfo', {});
  const d = dashboard.data;
  const badges: Record<string, { n: number; color: string; label: string } | null> = {
    clients: d && d.clients ? { n: d.clients, color: 'gray', label: 'clients' } : null,
    instances: d && (d.unreachable || d.drifted) ? { n: d.unreachable + d.drifted, color: 'red', label: 'instances need attention' } : d && d.instances ? { n: d.instances, color: 'gray', label: 'instances' } : null,
    licenses: d && d.expiringWithin30 ? { n: d.expiringWithin30, color: 'orange', label: 'licenses expire within 30 days' } : null,
    stock: d && d.ppksInStock ? { n: d.ppksInStock, color: 'gray', label: 'PPKs in stock' } : null,
  };
  const current = route.page === 'instance' || route.page === 'onboarding' ? 'instances' : route.page;
  return (
    <Stack h="100%" gap={0} justify="space-between">
      <ScrollArea type="never" style={{ flex: 1 }}>
        <nav aria-label="Main" className="kf-nav">
          {NAV_ITEMS.map((item) => {
            const badge = badges[item.id];
            return (
              <NavLink
                key={item.id}
                component="button"
                label={item.label}
                active={current === item.id}
                onClick={() => navigate({ page: item.id })}
                leftSection={<Icon name={NAV_ICONS[item.id] ?? 'command'} size={17} />}
                rightSection={
                  badge ? (
                    <Badge size="xs" variant={badge.color === 'gray' ? 'default' : 'filled'} color={badge.color} aria-label={`${badge.n} ${badge.label}`} className="kf-num">
                      {badge.n}
                    </Badge>
                  ) : null
                }
                title={`${item.label} (${shortcutLabel(item.shortcut)})`}
                aria-current={current === item.id ? 'page' : undefined}
                className="kf-navlink"
              />
            );
          })}
        </nav>
      </ScrollArea>
      <Text size="xs" c="dimmed" px="md" py="sm" className="kf-nav-foot">
        {info.data ? `Keyfleet ${info.data.version}` : 'Keyfleet'}
      </Text>
    </Stack>
  );
}
