/**
 * Test helpers: a MailParsed built from a header map (for table tests of one
 * rule), and fixture .eml files run through the real parser.
 */
import { readFileSync } from 'node:fs';
import {
  AddressSchema,
  HeaderSchema,
  MailParsedSchema,
  MailRefSchema,
  MailSourceSchema,
  ReportPartSchema,
  create,
  type MailParsed,
} from '@postroom/contracts';
import { parseHeaderBlock } from '@postroom/mail';
import { readMail } from '../src/classify-file';
import type { MailText } from '../src/verdict';

export const FIXTURES = new URL('../../../libs/testing/fixtures/eml/', import.meta.url);

export interface MailSpec {
  /** Raw header block ("Name: value" lines); From/Subject/Return-Path are derived from it. */
  headers?: string;
  reportParts?: { contentType: string; text: string }[];
  folder?: string;
  labels?: string[];
}

const addressOf = (value: string | undefined) => {
  if (!value) return undefined;
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]+)>/.exec(value) ?? /^\s*([^\s(]+@[^\s(]+)\s*(?:\((.*)\))?/.exec(value);
  if (!m) return undefined;
  return value.includes('<') ? { name: m[1].trim(), address: m[2] } : { name: (m[2] ?? '').trim(), address: m[1] };
};

/** A MailParsed as the parser would produce it for a mail with these top-level headers. */
export function mail(spec: MailSpec): MailParsed {
  const headers = parseHeaderBlock((spec.headers ?? '').replace(/^\n/, ''));
  const get = (n: string) => headers.find((h) => h.name === n)?.value;
  const returnPath = get('return-path');
  const from = addressOf(get('from'));
  return create(MailParsedSchema, {
    mail: create(MailRefSchema, {
      tenantId: 't',
      mailId: 'm',
      source: create(MailSourceSchema, { folder: spec.folder ?? 'INBOX', providerLabels: spec.labels ?? [] }),
    }),
    messageId: 'test@example.net',
    subject: get('subject') ?? '',
    from: from ? create(AddressSchema, from) : undefined,
    to: (get('to') ?? '').split(',').map(addressOf).filter((a) => a !== undefined).map((a) => create(AddressSchema, a)),
    headers: headers.map((h) => create(HeaderSchema, h)),
    contentType: get('content-type') ?? 'text/plain',
    reportParts: (spec.reportParts ?? []).map((p) => create(ReportPartSchema, p)),
    returnPath: (returnPath ?? '').replace(/^<|>$/g, ''),
    hasReturnPath: returnPath !== undefined,
  });
}

export const text = (t = ''): MailText => ({ text: t });

/** A fixture through the real parser: the event the classifier would receive, and the body text. */
export async function fixture(name: string): Promise<{ msg: MailParsed; body: MailText }> {
  return readMail(readFileSync(new URL(name, FIXTURES)));
}
