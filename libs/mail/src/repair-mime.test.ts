import { describe, expect, it } from 'vitest';
import { parseMail } from './parse-mail';
import { repairUnfoldedBoundary } from './repair-mime';

/** A bounce shaped like Apache James / Verizon vtext ones: the inner boundary parameter is not folded. */
const UNFOLDED = [
  'From: post_master@gateway.example.net',
  'To: agent@example.com',
  'Subject: Re:Quote 7781',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="outer-1"',
  '',
  '--outer-1',
  'Content-Type: multipart/alternative;',
  'boundary="inner-2"',
  '',
  '--inner-2',
  'Content-Type: text/plain; charset=us-ascii',
  '',
  'Error: Invalid user address',
  '550 - Requested action not taken: no such user here',
  '',
  '--inner-2--',
  '',
  '--outer-1--',
  '',
].join('\r\n');

describe('repairUnfoldedBoundary', () => {
  it('folds an unfolded boundary= line back into its Content-Type', () => {
    const out = Buffer.from(repairUnfoldedBoundary(Buffer.from(UNFOLDED))).toString('latin1');
    expect(out).toContain('Content-Type: multipart/alternative;\r\n\tboundary="inner-2"\r\n');
    expect(out.replace('\r\n\tboundary', '\r\nboundary')).toBe(UNFOLDED);
  });

  it('returns the very same bytes when nothing needs repair', () => {
    const raw = Buffer.from('From: a@example.net\r\nContent-Type: multipart/mixed;\r\n boundary="x"\r\n\r\n--x--\r\n');
    expect(repairUnfoldedBoundary(raw)).toBe(raw);
  });

  it('leaves a body line that merely starts with "boundary=" alone', () => {
    const raw = Buffer.from('From: a@example.net\r\nSubject: MIME\r\n\r\nSet it like this:\r\nboundary="x"\r\n');
    expect(repairUnfoldedBoundary(raw)).toBe(raw);
  });

  it('lets parseMail read the text that the defect would lose', async () => {
    const m = await parseMail(Buffer.from(UNFOLDED));
    expect(m.text).toContain('550 - Requested action not taken: no such user here');
  });
});

describe('parseMail on a multipart body without one matching delimiter', () => {
  it('keeps the raw body as text instead of losing it', async () => {
    const raw = Buffer.from(
      [
        'From: MAILER-DAEMON@mx.example.net',
        'Subject: Returned mail: User unknown',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="declared"',
        '',
        '--used-instead',
        'Content-Type: text/plain',
        '',
        '550 5.1.1 <gone@example.org>... User unknown',
        '--used-instead--',
        '',
      ].join('\r\n'),
    );
    const m = await parseMail(raw);
    expect(m.text).toContain('550 5.1.1 <gone@example.org>... User unknown');
    expect(m.attachments).toEqual([]);
  });
});
