import { BlobRefSchema, MailBodySchema, MailParsedSchema, create, toBinary } from '@postroom/contracts';
import { describe, expect, it } from 'vitest';
import { readMailBody } from './mail-body';

const stored = new Map([['acme/body/m-1', toBinary(MailBodySchema, create(MailBodySchema, { text: 'from the blob', html: '<p>blob</p>' }))]]);
const blobs = {
  get: async (key: string) => {
    const bytes = stored.get(key);
    if (!bytes) throw new Error(`no blob ${key}`);
    return bytes;
  },
};

describe('readMailBody', () => {
  it('takes the inline body without reading the blob store', async () => {
    const parsed = create(MailParsedSchema, { inlineBody: { text: 'inline', html: '<p>inline</p>' } });
    expect(await readMailBody(parsed, { get: () => Promise.reject(new Error('must not read')) })).toEqual({ text: 'inline', html: '<p>inline</p>' });
  });

  it('reads the referenced blob when the body is not inline', async () => {
    const parsed = create(MailParsedSchema, { body: create(BlobRefSchema, { key: 'acme/body/m-1' }) });
    expect(await readMailBody(parsed, blobs)).toEqual({ text: 'from the blob', html: '<p>blob</p>' });
  });

  it('is empty for a mail with neither', async () => {
    expect(await readMailBody(create(MailParsedSchema, {}), blobs)).toEqual({ text: '', html: '' });
    expect(await readMailBody(undefined, blobs)).toEqual({ text: '', html: '' });
  });
});
