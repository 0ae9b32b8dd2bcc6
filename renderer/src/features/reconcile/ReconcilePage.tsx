import { Alert, Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { ReconcileView } from '../../../../electron/core/api/contract.ts';
import { useApiMutation } from '../../shared/api/queries.ts';
import { useJob } from '../../shared/api/useJob.ts';
import { maskKey, vendorLabel } from '../../shared/format.ts';
import { EmptyHint } from '../../shared/ui/EmptyHint.tsx';
import { ErrorAlert } from '../../shared/ui/ErrorAlert.tsx';
import { Icon } from '../../shared/ui/Icon.tsx';
import { JobProgressView } from '../../shared/ui/JobProgressView.tsx';
import { PageHeader } from '../../shared/ui/PageHeader.tsx';
import { TableHead } from '../../shared/ui/TableHead.tsx';

type Where = { instance?: string; source?: string };

function where(x: Where): string {
  return x.instance ?? (x.source ? `${x.source} (QLM)` : '—');
}

function shown(field: string, value: unknown): string {
  if (value === null || value === undefined) return field === 'expiresAt' ? 'never' : 'none';
  if (field === 'key' && typeof value === 'string') return maskKey(value);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The findings Accept server values takes: changes not blocked, and server-only licenses with known facts. */
function acceptableCount(report: ReconcileView): number {
  return report.changed.filter((c) => !c.blocked).length + report.serverOnly.filter((s) => !s.needsAdoption).length;
}

function Section({ title, count, children }: { title: string; count: number; children: ReactNode }) {
  if (count === 0) return null;
  return (
    <Paper withBorder radius="md" p="md">
      <Group gap="xs" mb="xs">
        <Title order={4}>{title}</Title>
        <Badge variant="light" className="kf-num">{count}</Badge>
      </Group>
      {children}
    </Paper>
  );
}

type Finding = Where & { vendor: string; key: string };

/** The cells every finding starts with: where it is, the vendor, and the key masked. */
function KeyCells({ finding }: { finding: Finding }) {
  return (
    <>
      <Table.Td>{where(finding)}</Table.Td>
      <Table.Td>{vendorLabel(finding.vendor)}</Table.Td>
      <Table.Td ff="monospace">{maskKey(finding.key)}</Table.Td>
    </>
  );
}

/** One kind of finding as a titled table, a row a finding; nothing when there are none. */
function FindingTable<T>({ title, columns, rows, rowKey, children }: { title: string; columns: readonly string[]; rows: readonly T[]; rowKey: (row: T) => string; children: (row: T) => ReactNode }) {
  return (
    <Section title={title} count={rows.length}>
      <Table aria-label={title} striped>
        <TableHead columns={columns} />
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={rowKey(row)}>{children(row)}</Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Section>
  );
}

function Findings({ report, acceptable }: { report: ReconcileView; acceptable: number }) {
  return (
    <Stack gap="md">
      <Text size="sm" aria-label="Summary">
        {report.same} the same · {report.changed.length} changed elsewhere · {report.serverOnly.length} on a server only · {report.localOnly.length} in Keyfleet only
        {report.failures.length ? ` · ${report.failures.length} could not be read` : ''}
        {report.accepted !== undefined ? ` · ${report.accepted} accepted` : ''}
      </Text>
      {report.failures.map((f) => (
        <Alert key={f.target} color="orange" variant="light" title={`Could not read ${f.target}`} icon={<Icon name="alert" />}>
          {f.error.message}. Fix the connection on its page, then choose Compare now again.
        </Alert>
      ))}
      <FindingTable title="Changed elsewhere" columns={['Where', 'Vendor', 'Key', 'Field', 'Keyfleet', 'Server']} rows={report.changed} rowKey={(c) => `${c.license}-${c.field}`}>
        {(c) => (
          <>
            <KeyCells finding={c} />
            <Table.Td>{c.field}</Table.Td>
            <Table.Td>{shown(c.field, c.recorded)}</Table.Td>
            <Table.Td>{shown(c.field, c.server)}{c.blocked ? <Text size="xs" c="dimmed">Not accepted here: {c.blocked}</Text> : null}</Table.Td>
          </>
        )}
      </FindingTable>
      <FindingTable title="On a server only" columns={['Where', 'Vendor', 'Key', 'Product', 'Expires']} rows={report.serverOnly} rowKey={(s) => `${s.vendor}-${s.key}-${where(s)}`}>
        {(s) => (
          <>
            <KeyCells finding={s} />
            <Table.Td>{s.product ?? '—'}</Table.Td>
            <Table.Td>{s.needsAdoption ? 'Unknown: a key with no license, its expiry and limits are needed (adopt it)' : shown('expiresAt', s.expiresAt)}</Table.Td>
          </>
        )}
      </FindingTable>
      <FindingTable title="In Keyfleet only" columns={['Where', 'Vendor', 'Key']} rows={report.localOnly} rowKey={(l) => l.license}>
        {(l) => <KeyCells finding={l} />}
      </FindingTable>
      {acceptable > 0 ? (
        <Text size="sm" c="dimmed">
          Choose Accept server values to take {acceptable} finding(s) into Keyfleet; each is recorded in History as changed outside Keyfleet.
        </Text>
      ) : null}
    </Stack>
  );
}

/**
 * What every vendor server holds now against what Keyfleet records: read on demand (nothing is
 * stored by comparing), and accepted in one step when the user chooses to.
 */
export function ReconcilePage() {
  const compare = useApiMutation('reconcile');
  const accept = useApiMutation('reconcileAccept');
  const job = useJob('reconcile');
  const running = compare.isPending || accept.isPending;
  const report = (accept.data && (!compare.data || accept.submittedAt > compare.submittedAt) ? accept.data : compare.data) ?? null;
  const acceptable = report ? acceptableCount(report) : 0;
  const run = (which: 'compare' | 'accept') => {
    const jobId = job.start();
    const m = which === 'compare' ? compare : accept;
    m.mutate({ jobId }, { onSettled: () => job.finish() });
  };
  const clean = report && report.changed.length + report.serverOnly.length + report.localOnly.length + report.failures.length === 0;
  return (
    <div className="kf-page">
      <PageHeader
        title="Reconcile"
        subtitle="What each vendor server holds now against what Keyfleet records"
        actions={
          <>
            <Button variant="default" leftSection={<Icon name="refresh" size={14} />} loading={compare.isPending} disabled={running} onClick={() => run('compare')}>
              Compare now
            </Button>
            <Button leftSection={<Icon name="check" size={14} />} loading={accept.isPending} disabled={running || acceptable === 0} onClick={() => run('accept')}>
              Accept server values
            </Button>
          </>
        }
      />
      <Stack gap="md">
        {running ? <JobProgressView state={job.state} running showLog={false} /> : null}
        <ErrorAlert error={compare.error ?? accept.error ?? null} />
        {report ? (
          clean ? (
            <EmptyHint icon="check" title="Everything matches" description={`${report.same} license(s) are the same on the servers and in Keyfleet.`} />
          ) : (
            <Findings report={report} acceptable={acceptable} />
          )
        ) : running ? null : (
          <EmptyHint icon="refresh" title="Compare with the servers" description="Choose Compare now to read every instance and QLM License Server. Nothing is changed until you choose Accept server values." />
        )}
      </Stack>
    </div>
  );
}
