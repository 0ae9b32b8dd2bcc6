import { Tabs } from '@mantine/core';
import { useState } from 'react';
import { PageHeader } from '../../shared/ui/PageHeader.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { PpkStockTab } from './PpkStockTab.tsx';
import { SourcesTab } from './SourcesTab.tsx';
import './stock.css';

export function KeyStockPage({ tab }: { tab?: 'ppks' | 'sources' | undefined }) {
  const [active, setActive] = useState<string>(tab ?? 'ppks');
  return (
    <div className="kf-page kf-page-fill">
      <PageHeader title="Key stock" subtitle="Pre-purchased keys waiting to be used, and the key servers that issue them" />
      <Tabs value={active} onChange={(v) => setActive(v ?? 'ppks')} keepMounted={false} className="kf-tabs-fill">
        <Tabs.List>
          <Tabs.Tab value="ppks" leftSection={<Icon name="stock" size={14} />}>
            PPKs
          </Tabs.Tab>
          <Tabs.Tab value="sources" leftSection={<Icon name="key" size={14} />}>
            Key sources
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="ppks" pt="sm" className="kf-tab-panel">
          <PpkStockTab />
        </Tabs.Panel>
        <Tabs.Panel value="sources" pt="sm" className="kf-tab-panel">
          <SourcesTab />
        </Tabs.Panel>
      </Tabs>
    </div>
  );
}
