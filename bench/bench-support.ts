/** Helpers for the pipeline benchmark: the mail it sends, percentiles, and reading results from PostgreSQL. */
import type { E2E } from '../libs/testing/e2e/e2e-harness';

export function benchMail(messageId: string): string {
  return [
    'From: Bench Customer <bench@customer.example>',
    'To: support@bench.example',
    `Subject: Benchmark ${messageId}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${messageId}>`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    'A short support request, as most are.',
    '',
  ].join('\r\n');
}

export function percentiles(values: number[]): { p50: number; p95: number; p99: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { p50: Math.round(at(0.5)), p95: Math.round(at(0.95)), p99: Math.round(at(0.99)), max: Math.round(sorted[sorted.length - 1]) };
}

export interface Landed {
  /** When ingress noticed it (the pointer's observed_at), epoch ms. */
  observedAt: number;
  /** When its message row was committed, epoch ms. */
  ticketAt: number;
}

/** Waits until every Message-ID has a message row; returns when each was noticed and filed. */
export async function waitForTickets(e2e: E2E, ids: string[], timeoutMs: number): Promise<Map<string, Landed>> {
  const deadline = Date.now() + timeoutMs;
  const landed = new Map<string, Landed>();
  while (landed.size < ids.length && Date.now() < deadline) {
    const rows: Array<{ id: string; observed: string; created: string }> = await e2e.env.ds.query(
      `SELECT message_id_header AS id, (extract(epoch FROM received_at) * 1000)::float8 AS observed,
              (extract(epoch FROM created_at) * 1000)::float8 AS created
         FROM messages WHERE tenant_id = $1 AND message_id_header = ANY($2)`,
      [e2e.tenantId, ids.filter((id) => !landed.has(id))],
    );
    for (const row of rows) landed.set(row.id, { observedAt: Number(row.observed), ticketAt: Number(row.created) });
    if (landed.size < ids.length) await new Promise((r) => setTimeout(r, 200));
  }
  if (landed.size < ids.length) throw new Error(`only ${landed.size} of ${ids.length} emails became tickets in time`);
  return landed;
}
