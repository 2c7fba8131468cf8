/**
 * Binds a node:http server and gives back the port it got (0 asks for any
 * free one) and a close that also ends keep-alive connections, so a draining
 * service is not held open by an idle client. Shared by the health server
 * and the attachment download endpoint.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ListeningServer {
  port: number;
  close(): Promise<void>;
}

export async function listen(server: Server, host: string, port: number): Promise<ListeningServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
