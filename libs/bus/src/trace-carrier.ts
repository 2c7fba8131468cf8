/**
 * W3C trace context (traceparent, tracestate, baggage) rides in NATS message
 * headers. This adapts MsgHdrs to OpenTelemetry's TextMap getter/setter so
 * that `propagation.inject/extract` do the formatting: never build a
 * traceparent by hand. NATS header names are case-sensitive on the wire while
 * W3C names are lowercase, so lookups ignore case.
 */
import { context, propagation, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';
import { headers, Match, type MsgHdrs } from '@nats-io/transport-node';
import { TENANT_HEADER, headerValue } from './headers';

export const headerGetter: TextMapGetter<MsgHdrs | undefined> = {
  keys: (carrier) => (carrier ? carrier.keys() : []),
  get: (carrier, key) => (carrier?.has(key, Match.IgnoreCase) ? carrier.get(key, Match.IgnoreCase) : undefined),
};

export const headerSetter: TextMapSetter<MsgHdrs> = {
  set: (carrier, key, value) => carrier.set(key, value),
};

/** Headers for an outgoing message: the tenant (when known) and the active trace context. */
export function outgoingHeaders(tenantId?: string): MsgHdrs {
  const h = headers();
  if (tenantId) h.set(TENANT_HEADER, headerValue(tenantId));
  propagation.inject(context.active(), h, headerSetter);
  return h;
}
