/** Names of the Postroom headers on NATS messages, in one place. */
export const TENANT_HEADER = 'Postroom-Tenant';
export const ERROR_CODE_HEADER = 'Postroom-Error-Code';
export const ERROR_REASON_HEADER = 'Postroom-Error-Reason';
export const STAGE_HEADER = 'Postroom-Stage';
export const ORIGINAL_SUBJECT_HEADER = 'Postroom-Original-Subject';
export const ORIGINAL_SEQUENCE_HEADER = 'Postroom-Original-Sequence';
export const DELIVERY_COUNT_HEADER = 'Postroom-Delivery-Count';
export const MSG_ID_HEADER = 'Nats-Msg-Id';

/** A header value with CR/LF (which would break the NATS header block) and excess length removed. */
export const headerValue = (value: string, max = 1000): string => value.replace(/[\r\n]+/g, ' ').slice(0, max);
