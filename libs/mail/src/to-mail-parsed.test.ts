import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BlobRefSchema, MailParsedSchema, create, fromBinary, toBinary } from '@postroom/contracts';
import { parseMail } from './parse-mail';
import { toMailParsed } from './to-mail-parsed';

const fixture = (name: string) => readFileSync(new URL(`../../testing/fixtures/eml/${name}`, import.meta.url));

describe('toMailParsed', () => {
  it('maps every field and survives a protobuf round trip', async () => {
    const parsed = await parseMail(fixture('html-inline-image-pdf.eml'));
    const att = parsed.attachments.map((a) => create(BlobRefSchema, { key: `t/att/${a.sha256}`, size: BigInt(a.size), sha256: a.sha256 }));
    const msg = toMailParsed(parsed, { body: create(BlobRefSchema, { key: 't/body/m' }), attachments: att });
    expect(msg.subject).toBe(parsed.subject);
    expect(msg.dateMs).toBe(BigInt(parsed.dateMs));
    expect(msg.from?.address).toBe('jonas.weber@example.org');
    expect(msg.cc).toHaveLength(2);
    expect(msg.headers).toHaveLength(parsed.headers.length);
    expect(msg.attachments.map((a) => [a.index, a.blob?.key])).toEqual(att.map((r, i) => [i, r.key]));
    expect(fromBinary(MailParsedSchema, toBinary(MailParsedSchema, msg))).toEqual(msg);
  });

  it('describes attachments by hash and size when no blob keys are given', async () => {
    const parsed = await parseMail(fixture('html-inline-image-pdf.eml'));
    const msg = toMailParsed(parsed);
    expect(msg.attachments[1].blob).toMatchObject({ key: '', sha256: parsed.attachments[1].sha256, size: 218n });
    expect(msg.mail).toBeUndefined();
  });
});
