import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger, NATS_URL } from '../test/bus-harness';
import { connectBus, maskUrl } from './connect';
import { BusError } from './errors';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A loopback TCP peer that speaks just enough of the NATS client protocol
 * (INFO, then PONG to the client's PING) to announce an old server version.
 */
async function oldNatsServer(version: string): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.write(`INFO {"server_id":"OLD","version":"${version}","proto":1,"max_payload":1048576,"headers":true}\r\n`);
    socket.on('data', (chunk) => {
      if (chunk.toString().includes('PING')) socket.write('PONG\r\n');
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `nats://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const connectTo = (url: string) => connectBus({ url, namespace: '', name: 'connect-test', logger: silentLogger(), timeoutMs: 2000 });

describe('connectBus', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!();
  });

  it('connects to the real server and reports its namespace subjects', async () => {
    const bus = await connectBus({ url: NATS_URL, namespace: 'ns1', name: 'connect-test', logger: silentLogger() });
    cleanups.push(() => bus.close());
    expect(bus.subjects.mailFetched).toBe('ns1.mail.v1.fetched');
    expect(bus.nc.info?.version).toMatch(/^2\./);
  });

  it('fails fast with NATS_UNREACHABLE naming NATS_URL when nothing listens', async () => {
    const url = `nats://127.0.0.1:${await freePort()}`;
    const err = await connectTo(url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BusError);
    expect(err).toMatchObject({ code: 'NATS_UNREACHABLE' });
    expect((err as Error).message).toContain(`NATS_URL ${url}`);
  });

  it('refuses a server older than 2.9 with NATS_TOO_OLD', async () => {
    const old = await oldNatsServer('2.8.4');
    cleanups.push(() => old.close());
    const err = await connectTo(old.url).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NATS_TOO_OLD' });
    expect((err as Error).message).toBe(
      `NATS server 2.8.4 at NATS_URL ${old.url}: Postroom needs 2.9.0 or newer with JetStream`,
    );
  });

  it('refuses a server without JetStream with JETSTREAM_DISABLED', async () => {
    const port = await freePort();
    const child: ChildProcess = spawn('/usr/sbin/nats-server', ['-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    cleanups.push(async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    });
    let err: unknown;
    for (let attempt = 0; attempt < 50; attempt += 1) {
      err = await connectTo(`nats://127.0.0.1:${port}`).catch((e: unknown) => e);
      if ((err as BusError).code !== 'NATS_UNREACHABLE') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(err).toMatchObject({ code: 'JETSTREAM_DISABLED' });
    expect((err as Error).message).toContain(`NATS_URL nats://127.0.0.1:${port}`);
  });

  it('masks passwords in URLs it reports', () => {
    expect(maskUrl('nats://user:s3cret@127.0.0.1:4222')).toBe('nats://user:***@127.0.0.1:4222');
    expect(maskUrl('nats://127.0.0.1:4222')).toBe('nats://127.0.0.1:4222');
  });
});
