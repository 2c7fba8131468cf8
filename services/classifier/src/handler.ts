/**
 * MailParsed → MailClassified. Loads the body text the parser stored (the
 * event carries only its key), classifies, and returns the one event to
 * publish with msgId `classified:<mailId>`.
 */
import type { Emit, StageContext } from '@postroom/bus';
import { MailBodySchema, MailClassifiedSchema, create, fromBinary, type MailParsed } from '@postroom/contracts';
import { TerminalError } from '@postroom/errors';
import { classifyMail } from './classify-mail';
import type { ClassifierDeps } from './ports';
import type { MailText } from './verdict';

async function loadText(deps: ClassifierDeps, e: MailParsed): Promise<MailText> {
  const key = e.body?.key ?? '';
  if (key === '') return { text: '' };
  return { text: fromBinary(MailBodySchema, await deps.blobs.get(key)).text };
}

export function createHandler(deps: ClassifierDeps) {
  return async (e: MailParsed, _ctx?: StageContext): Promise<Emit[]> => {
    const mailId = e.mail?.mailId ?? '';
    if (mailId === '') throw new TerminalError('INVALID_EVENT', 'MailParsed lacks a mail id');
    const verdict = classifyMail(e, await loadText(deps, e), deps.rules);
    const event = create(MailClassifiedSchema, { parsed: e, verdict });
    return [{ subject: deps.subjects.mailClassified, schema: MailClassifiedSchema, event, msgId: `classified:${mailId}` }];
  };
}
