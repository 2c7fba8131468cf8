/**
 * Serves attachment bytes for signed links:
 * `GET /attachments/<tenant>/<id>?expires=…&sig=…`. It is a separate listener
 * from /healthz and /metrics, because it faces agents' browsers and those
 * must not. Bytes are sent as a download (Content-Disposition: attachment,
 * nosniff, a sandboxing CSP), never rendered on our origin: an attachment is
 * attacker-controlled content.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listen, type ListeningServer } from '@postroom/telemetry';
import { getAttachment } from '@postroom/db';
import type { AttachmentDeps } from './ports';
import { verifyAttachmentSignature } from './signed-url';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PATH = /^\/attachments\/([^/]+)\/([^/]+)$/;

export interface DownloadServerOptions {
  host: string;
  port: number;
  key: Uint8Array;
}

export type DownloadServer = ListeningServer;

function fail(res: ServerResponse, status: number, error: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ error }));
}

/** RFC 6266 / RFC 8187: an ASCII fallback plus the UTF-8 filename. */
function disposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_') || 'attachment';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

async function serve(deps: AttachmentDeps, opts: DownloadServerOptions, req: IncomingMessage, res: ServerResponse) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405, 'method not allowed');
  const url = new URL(req.url ?? '/', 'http://localhost');
  const match = PATH.exec(url.pathname);
  if (!match) return fail(res, 404, 'not found');
  const [tenantId, attachmentId] = [decodeURIComponent(match[1]), decodeURIComponent(match[2])];
  const link = { tenantId, attachmentId, expires: url.searchParams.get('expires'), sig: url.searchParams.get('sig') };
  const check = verifyAttachmentSignature(opts.key, link, (deps.clock ?? (() => new Date()))());
  if (check === 'bad-signature') return fail(res, 403, 'invalid signature');
  if (check === 'expired') return fail(res, 410, 'link expired');
  if (!UUID.test(tenantId) || !UUID.test(attachmentId)) return fail(res, 404, 'not found');
  const row = await getAttachment(deps.db, tenantId, attachmentId);
  if (!row) return fail(res, 404, 'not found');
  if (row.blockedReason) return fail(res, 403, `blocked: ${row.blockedReason}`);
  const bytes = await deps.blobs.get(row.blobKey);
  res.writeHead(200, {
    'content-type': row.contentType || 'application/octet-stream',
    'content-length': String(bytes.byteLength),
    'content-disposition': disposition(row.filename || 'attachment'),
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'cache-control': 'private, no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : Buffer.from(bytes));
}

/** Starts the download listener (port 0: any free port). */
export async function startDownloadServer(deps: AttachmentDeps, opts: DownloadServerOptions): Promise<DownloadServer> {
  const server = createServer((req, res) => {
    serve(deps, opts, req, res).catch(() => (res.headersSent ? res.destroy() : fail(res, 500, 'internal error')));
  });
  return listen(server, opts.host, opts.port);
}
