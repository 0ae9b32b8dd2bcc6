/**
 * The `keyfleet` commands that set up a small QueueMetrics fleet, for cliSession's setUp: client
 * Acme, a Loway key server, the shared credential `ku`, and instances qm-acme (Acme's) and
 * qm-beta (no client yet).
 */
export function qmFleetSteps(urls: { loway: string; acme: string; beta: string }): Array<[string[], string?]> {
  return [
    [['client', 'add', 'Acme', '--email', 'ops@acme.test']],
    [['source', 'add', 'loway', '--kind', 'loway-keyserver', '--url', urls.loway, '--email', 'keys@reseller.test']],
    [['credential', 'add', 'ku', '--user', 'keyupdater', '--secret-stdin'], 'ku-secret\n'],
    [['instance', 'add', 'qm-acme', '--kind', 'queuemetrics', '--url', urls.acme, '--client', 'Acme', '--credential', 'ku']],
    [['instance', 'add', 'qm-beta', '--kind', 'queuemetrics', '--url', urls.beta, '--credential', 'ku']],
  ];
}
