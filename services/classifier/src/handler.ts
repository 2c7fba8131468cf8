/**
 * MailParsed → MailClassified. Takes the body text from the event when the
 * parser carried it inline, else loads it from the blob store, classifies,
 * asks the spam engine when one is configured, and returns the one event to
 * publish with msgId `classified:<mailId>`, the parsed event inside it
 * forwarded as the bytes that were delivered.
 */
import type { Emit, StageContext } from '@postroom/bus';
import { MailClassifiedSchema, create, encodeWithEmbedded, type MailParsed } from '@postroom/contracts';
import { readMailBody } from '@postroom/mail';
import { TerminalError } from '@postroom/errors';
import { classifyMail } from './classify-mail';
import type { ClassifierDeps } from './ports';
import { consultSpamEngine } from './spam-engine';
import type { MailText } from './verdict';

async function loadText(deps: ClassifierDeps, e: MailParsed): Promise<MailText> {
  return { text: (await readMailBody(e, deps.blobs)).text };
}

export function createHandler(deps: ClassifierDeps) {
  return async (e: MailParsed, ctx?: StageContext): Promise<Emit[]> => {
    const mailId = e.mail?.mailId ?? '';
    if (mailId === '') throw new TerminalError('INVALID_EVENT', 'MailParsed lacks a mail id');
    const chain = classifyMail(e, await loadText(deps, e), deps.rules);
    const verdict = deps.spamEngine ? await consultSpamEngine({ ...deps.spamEngine, blobs: deps.blobs }, e, chain, ctx) : chain;
    const event = create(MailClassifiedSchema, { parsed: e, verdict });
    // The parsed event goes on as the bytes that came in: decoding it was needed, encoding it again is not.
    const encoded = ctx && encodeWithEmbedded(MailClassifiedSchema, 'parsed', ctx.input, create(MailClassifiedSchema, { verdict }));
    return [{ subject: deps.subjects.mailClassified, schema: MailClassifiedSchema, event, msgId: `classified:${mailId}`, encoded }];
  };
}
