/**
 * One email, one trace: a new customer email whose ticket triggers an
 * auto-response passes through all seven services, and every service's spans
 * for it carry the same trace id, exported over OTLP like in production.
 */
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { appendMail } from '../src/imap';
import { waitFor } from '../src/wait-for';
import { startE2E, type E2E } from './e2e-harness';
import { customerMail } from './mails';
import { SERVICE_NAMES } from '../src/pipeline';

const dovecot = inject('dovecot');
let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E(dovecot, {
    autoResponse: { enabled: true, text: 'Hello {{sender_name}}, we received your request as ticket {{ticket_number}}.' },
  });
}, 180_000);

afterAll(async () => {
  await e2e?.stop();
});

it('gives one email one trace across ingress, fetcher, parser, classifier, ticketer, attachment and sender', async () => {
  await appendMail(dovecot, e2e.imap, customerMail('traced@customer.example', e2e.mailbox.address));
  const [autoResponse] = await e2e.sink.waitFor(1, 60_000);
  expect(autoResponse.text).toMatch(/^Auto-Submitted: auto-replied/m);

  const traceOf = (service: string) => e2e.collector.spans.find((s) => s.service === service && s.name.startsWith('process'))?.traceId;
  const traceId = await waitFor('the ticketer span', async () => traceOf('ticketer'));
  const services = await waitFor('spans from all seven services in that trace', async () => {
    const seen = new Set(e2e.collector.spans.filter((s) => s.traceId === traceId).map((s) => s.service));
    return SERVICE_NAMES.every((name) => seen.has(name)) ? seen : undefined;
  });
  expect([...services].sort()).toEqual([...SERVICE_NAMES].sort());
  // Every consumer span has a parent: nothing downstream of ingress starts a trace of its own.
  const consumers = e2e.collector.spans.filter((s) => s.traceId === traceId && s.name.startsWith('process'));
  expect(consumers.every((s) => s.parentSpanId !== '')).toBe(true);
});
