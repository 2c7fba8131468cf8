/**
 * The body document of a MailParsed, wherever the parser put it: inline in
 * the event (`inline_body`, bodies up to 64 KiB) or in the blob store
 * (`body`, a reference; larger bodies, and events from before the inline
 * field). Every reader goes through this, so none forgets one of the two.
 */
import { MailBodySchema, fromBinary, type MailParsed } from '@postroom/contracts';

export interface MailBodyText {
  text: string;
  html: string;
}

/** The part of a blob store this needs. */
export interface BodyBlobs {
  get(key: string): Promise<Uint8Array>;
}

/** The body's text and sanitised HTML; empty when the mail has no body reference at all. */
export async function readMailBody(parsed: MailParsed | undefined, blobs: BodyBlobs): Promise<MailBodyText> {
  if (parsed?.inlineBody) return { text: parsed.inlineBody.text, html: parsed.inlineBody.html };
  const key = parsed?.body?.key ?? '';
  if (key === '') return { text: '', html: '' };
  const body = fromBinary(MailBodySchema, await blobs.get(key));
  return { text: body.text, html: body.html };
}
