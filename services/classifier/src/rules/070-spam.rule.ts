/**
 * Spam verdicts made upstream, before the mail reached us: the filter
 * headers of SpamAssassin (X-Spam-Flag, X-Spam-Status), rspamd (X-Spam),
 * Amavis and others (X-Spam-Score), Microsoft 365 / Exchange Online Protection
 * (X-Forefront-Antispam-Report SFV:SPM, X-MS-Exchange-Organization-SCL),
 * Barracuda and MailScanner; and the provider's own placement (Gmail's SPAM
 * label, an IMAP folder with the RFC 6154 \Junk use or a Junk/Spam name).
 * A header saying "no" is never evidence either way: a spammer writes it.
 */
import { MailKind, type MailParsed, type Reason, type Verdict } from '@postroom/contracts';
import { allHeaders, header } from '../mail-view';
import { reason, verdict } from '../verdict';

const RULE = 'spam';

export interface SpamOptions {
  /** X-Spam-Score at or above which a mail is spam (SpamAssassin's default `required`). */
  scoreThreshold: number;
  /** X-MS-Exchange-Organization-SCL at or above which a mail is spam (Microsoft: 5–6 spam, 9 high confidence). */
  sclThreshold: number;
}

export const DEFAULT_SPAM_OPTIONS: SpamOptions = { scoreThreshold: 5, sclThreshold: 5 };

const YES = /^\s*(?:yes|true|spam)\b/i;
const JUNK_FOLDER = /^(?:junk|spam|junk e-?mail|bulk mail|junk-e-mail|spamverdacht|courrier indésirable|correo no deseado|posta indesiderata|ongewenste e-mail)$/i;

function flagHeaders(msg: MailParsed): Reason[] {
  const out: Reason[] = [];
  for (const name of ['x-spam-flag', 'x-spam-status', 'x-spam', 'x-barracuda-spam-flag', 'x-barracuda-spam-status']) {
    const value = header(msg, name);
    if (value !== undefined && YES.test(value)) out.push(reason(RULE, `${name}: ${value}`, name));
  }
  const ms = header(msg, 'x-mailscanner-spamcheck') ?? allHeaders(msg, 'x-mailscanner-spamcheck')[0];
  if (ms && /^\s*spam\b/i.test(ms)) out.push(reason(RULE, `MailScanner: ${ms}`, 'x-mailscanner-spamcheck'));
  const eop = header(msg, 'x-forefront-antispam-report');
  if (eop && /\bSFV:(?:SPM|SKS|SKB)\b|\bCAT:(?:H?SPM|H?PHSH)\b/i.test(eop)) out.push(reason(RULE, `EOP verdict ${eop}`, 'x-forefront-antispam-report'));
  return out;
}

function scoreHeaders(msg: MailParsed, opts: SpamOptions): Reason[] {
  const out: Reason[] = [];
  const score = Number.parseFloat(header(msg, 'x-spam-score') ?? '');
  if (Number.isFinite(score) && score >= opts.scoreThreshold) {
    out.push(reason(RULE, `X-Spam-Score ${score} ≥ ${opts.scoreThreshold}`, 'x-spam-score'));
  }
  const scl = Number.parseInt(header(msg, 'x-ms-exchange-organization-scl') ?? '', 10);
  if (Number.isFinite(scl) && scl >= opts.sclThreshold) {
    out.push(reason(RULE, `SCL ${scl} ≥ ${opts.sclThreshold}`, 'x-ms-exchange-organization-scl'));
  }
  return out;
}

function providerPlacement(msg: MailParsed): Reason[] {
  const source = msg.mail?.source;
  if (!source) return [];
  const labels = source.providerLabels.filter((l) => /^(?:spam|\\junk|\\spam)$/i.test(l));
  const out = labels.map((l) => reason(RULE, `provider label ${l}`, 'provider-label'));
  if (JUNK_FOLDER.test(source.folder.split(/[./]/).pop() ?? '')) out.push(reason(RULE, `delivered to folder ${source.folder}`, 'folder'));
  return out;
}

export function createSpamRule(opts: Partial<SpamOptions> = {}) {
  const o = { ...DEFAULT_SPAM_OPTIONS, ...opts };
  return function spam(msg: MailParsed): Verdict | undefined {
    const reasons = [...flagHeaders(msg), ...providerPlacement(msg), ...scoreHeaders(msg, o)];
    if (reasons.length === 0) return undefined;
    const strong = reasons.some((r) => r.source !== 'x-spam-score' && r.source !== 'x-ms-exchange-organization-scl');
    return verdict(MailKind.SPAM, strong ? 0.95 : 0.8, reasons);
  };
}

export const spam = createSpamRule();
