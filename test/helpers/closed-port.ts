import net from 'node:net';

/**
 * A loopback port nothing listens on (taken, then let go): a connection to it is refused before
 * a byte is sent, as to a server that has gone away.
 */
export async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
