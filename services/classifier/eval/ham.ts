/**
 * Normal mail misclassified, on an external collection of real "ham" (mail
 * that is not spam): `--external-ham <dir>`. Built for the Apache
 * SpamAssassin public corpus (easy_ham, easy_ham_2, hard_ham), which is not
 * vendored; any folder of .eml files works too.
 *
 * "Ham" is not "a person wrote it to us": most of that corpus is mailing
 * list traffic, and hard_ham is commercial newsletters. So three numbers:
 * - strict: every ham mail that is not classified normal;
 * - not list mail: the same over mail that carries no list header
 *   (carriesListHeaders below reads the raw header block, not our parse);
 * - not list mail without the senders a hand review found to be
 *   newsletters or mail systems (NOT_PERSON_TO_PERSON); those are set aside
 *   whatever their verdict, so the denominator is not chosen by the
 *   classifier. It is the closest the corpus comes to person-to-person
 *   mail, not the same: it still holds RSS-to-mail and newsletters that
 *   were left normal, and list posts whose list headers were cut.
 * Misclassified mail in the last group is listed with its evidence; the
 * set-aside senders' verdicts are counted per sender.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { classifyRaw, type ClassifyResult } from '../src/classify-file';

/** SpamAssassin corpus files are named `<n>.<md5 of the content>`; `cmds` is a shell script beside them. */
const CORPUS_NAME = /^\d+\.([0-9a-f]{32})$/;

/**
 * Senders in the SpamAssassin ham that are newsletters or mail systems, not
 * people (hand review of every non-list mail the rules did not call normal;
 * SpamAssassin 20021010/20030228 sets as in ML_for_Hackers@4aa136e).
 */
export const NOT_PERSON_TO_PERSON: { from: RegExp; why: string }[] = [
  { from: /^pudge@perl\.org$/, why: 'use Perl daily newsletter' },
  { from: /@list\.theregister\.co\.uk$/, why: 'The Register newsletter' },
  { from: /@lifetimetv\.com$/, why: 'Lifetime TV newsletter' },
  { from: /^ecartis@isc\.org$/, why: 'ISC list manager' },
  { from: /@tribute\.ca$/, why: 'Tribute movie newsletter' },
  { from: /@mailings\.foxsports\.com$/, why: 'FOX Sports newsletter' },
  { from: /@applenews\.lists\.apple\.com$/, why: 'QuickTime News' },
  { from: /@astrology\.com$/, why: 'daily horoscope' },
  { from: /@keenspot\.com$/, why: 'web comic newsletter' },
  { from: /@berkshireeagle\.com$/, why: 'newspaper newsletter' },
  { from: /@theserverside\.com$/, why: 'TheServerSide newsletter' },
  { from: /@michaelmoore\.com$/, why: "Michael Moore's mailing list" },
  { from: /^linux-announce-request@/, why: 'Linux-Announce digest' },
  { from: /@hermes\.sun\.com$/, why: 'Sun JDC newsletters' },
  { from: /@classic-novels\.com$/, why: 'Classic Novels newsletter' },
  { from: /@jobfair24\.de$/, why: 'jobfair24 newsletter' },
  { from: /@xmr3\.com$/, why: 'Fax2Mail notification' },
  { from: /^michaelr@lindows\.com$/, why: "Lindows \"Michael's Minute\" newsletter" },
  { from: /@isource\.ibm\.com$/, why: 'IBM eNews' },
  { from: /@oracleeblast\.com$/, why: 'Oracle Technology Network newsletter' },
  { from: /@desktopengineer\.com$/, why: 'DesktopEngineer newsletter' },
  { from: /@motleyfool\.com$/, why: 'Motley Fool seminar mail' },
  { from: /@fooladvisor\.com$/, why: 'Motley Fool newsletter' },
  { from: /@harpercollins\.com$/, why: 'HarperCollins AuthorTracker' },
  { from: /@robertreich/, why: 'campaign mailing' },
  { from: /^mailer-daemon@/, why: 'a mail system (bounce)' },
];

/** List headers (RFC 2369, RFC 2919, list managers' own) or a list manager's Sender / Errors-To. */
const LIST_HEADER = /^(?:list-(?:id|post|unsubscribe|subscribe|help|archive|owner)|mailing-list|x-mailing-list|x-beenthere|x-list):/im;
const LIST_ENVELOPE = /^(?:sender|errors-to):[^\n]*?(?:owner-[^@\s<>]+|[^@\s<>]+-(?:owner|request|admin|bounces?))@/im;

function headerBlock(raw: string): string {
  const end = raw.search(/\r?\n\r?\n/);
  return (end < 0 ? raw : raw.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
}

export const carriesListHeaders = (raw: string): boolean => {
  const head = headerBlock(raw);
  return LIST_HEADER.test(head) || LIST_ENVELOPE.test(head);
};

const fromAddress = (raw: string): string =>
  (/^from:(.*)$/im.exec(headerBlock(raw))?.[1] ?? '').match(/[^\s<>"]+@[^\s<>"]+/)?.[0]?.toLowerCase() ?? '';

interface HamRow { file: string; result: ClassifyResult; list: boolean; notPerson?: string }

async function mailFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const seen = new Set<string>();
  const files: string[] = [];
  const path = (e: { parentPath: string; name: string }) => join(e.parentPath, e.name);
  for (const e of entries.filter((x) => x.isFile()).sort((a, b) => path(a).localeCompare(path(b)))) {
    // The corpus's spam and spam_2 sets sit beside the ham ones: never count them as ham.
    if (relative(dir, e.parentPath).split(/[\\/]/).some((d) => /^spam/i.test(d))) continue;
    const corpus = CORPUS_NAME.exec(e.name);
    if (!corpus && !e.name.toLowerCase().endsWith('.eml')) continue;
    // The corpus sets share some messages (same md5): count each once.
    if (corpus && seen.has(corpus[1])) continue;
    if (corpus) seen.add(corpus[1]);
    files.push(path(e));
  }
  return files;
}

const pct = (n: number, d: number) => `${((n / Math.max(d, 1)) * 100).toFixed(2)}%`;

function byKind(rows: HamRow[]): string {
  const counts = new Map<string, number>();
  for (const r of rows.filter((x) => x.result.kind !== 'normal')) counts.set(r.result.kind, (counts.get(r.result.kind) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ') || '—';
}

function line(group: string, rows: HamRow[]): string {
  const wrong = rows.filter((r) => r.result.kind !== 'normal').length;
  return `| ${group} | ${rows.length} | ${wrong} | ${pct(wrong, rows.length)} | ${byKind(rows)} |`;
}

/** With no error in n mails, the rate is below 3/n with 95% confidence (the rule of three). */
function bound(rows: HamRow[]): string {
  const wrong = rows.filter((r) => r.result.kind !== 'normal').length;
  if (wrong > 0) return `Last row: ${wrong} of ${rows.length}.`;
  return `Last row: 0 of ${rows.length}; the 95% upper bound on the rate is 3/${rows.length} = ${pct(3, rows.length)} (rule of three).`;
}

export async function evaluateHam(dir: string): Promise<string[]> {
  const rows: HamRow[] = [];
  for (const file of await mailFiles(dir)) {
    const raw = await readFile(file);
    const text = raw.toString('latin1');
    const from = fromAddress(text);
    rows.push({
      file: relative(dir, file),
      result: await classifyRaw(file, raw),
      list: carriesListHeaders(text),
      notPerson: NOT_PERSON_TO_PERSON.find((n) => n.from.test(from))?.why,
    });
  }
  const notList = rows.filter((r) => !r.list);
  const personal = notList.filter((r) => r.notPerson === undefined);
  const evidence = (r: HamRow) => r.result.reasons.map((x) => `${x.rule}: ${x.detail}`).join('; ').slice(0, 160);
  const personalMisses = personal.filter((r) => r.result.kind !== 'normal');
  const setAside = new Map<string, number>();
  for (const r of notList.filter((x) => x.notPerson !== undefined && x.result.kind !== 'normal')) {
    const key = `${r.notPerson} → ${r.result.kind}`;
    setAside.set(key, (setAside.get(key) ?? 0) + 1);
  }
  return [
    `External ham …/${basename(dirname(dir))}/${basename(dir)}: ${rows.length} distinct mails.`,
    '',
    '| ham | mails | not classified normal | rate | by kind |',
    '|---|---:|---:|---:|---|',
    line('all (strict)', rows),
    line('list mail (list headers or a list manager as Sender)', rows.filter((r) => r.list)),
    line('not list mail', notList),
    line('not list mail, reviewed newsletters and mail systems set aside', personal),
    '',
    bound(personal),
    '',
    personalMisses.length === 0
      ? 'Last row, classified as something else: none.'
      : `Last row, classified as something else:\n\n${personalMisses.map((r) => `- ${r.file} → ${r.result.kind}: ${evidence(r)}`).join('\n')}`,
    '',
    'Not list mail set aside, and what it was classified as (sender as reviewed → kind: mails):',
    '',
    ...[...setAside].map(([k, n]) => `- ${k}: ${n}`),
  ];
}
