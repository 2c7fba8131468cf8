import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TerminalError } from '@postroom/errors';
import { parseMail } from './parse-mail';

const fixture = (name: string) => readFileSync(new URL(`../../testing/fixtures/eml/${name}`, import.meta.url));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('parseMail', () => {
  it('maps a plain customer mail: addresses, subject, date, ids, decoded text, headers in order', async () => {
    const m = await parseMail(fixture('plain-customer.eml'));
    expect(m.from).toEqual({ name: 'Anna Berger', address: 'anna.berger@example.net' });
    expect(m.to).toEqual([{ name: 'Example Support', address: 'support@example.com' }]);
    expect(m.subject).toBe('Order 10442 arrived damaged');
    expect(m.dateMs).toBe(Date.UTC(2025, 0, 14, 8, 12, 40));
    expect(m.messageId).toBe('CAF3x9QWm1@mail.example.net');
    expect(m.messageIdGenerated).toBe(false);
    expect(m.text).toContain('Could you send a replacement?');
    expect(m.text).toContain('Grüße');
    expect(m.html).toBe('');
    expect(m.headers.slice(0, 3).map((h) => h.name)).toEqual(['return-path', 'delivered-to', 'received']);
    expect(m.headers[2].value).toBe(
      'from mail.example.net (mail.example.net [198.51.100.23])\tby mx.example.com (Postfix) with ESMTPS id 4Xk2Qd1FzYz9v\tfor <support@example.com>; Tue, 14 Jan 2025 09:12:44 +0100 (CET)',
    );
    expect(m.contentType).toBe('text/plain; charset=utf-8');
    expect(m).toMatchObject({ returnPath: 'anna.berger@example.net', hasReturnPath: true, attachments: [], reportParts: [] });
  });

  it('sanitises HTML and keeps inline cid images, and describes every attachment', async () => {
    const raw = fixture('html-inline-image-pdf.eml');
    const m = await parseMail(raw);
    expect(m.subject).toBe('Display flackert – TX-200');
    expect(m.cc.map((a) => a.address)).toEqual(['lena.hofmann@example.org', 'it@example.org']);
    expect(m.replyTo).toEqual([{ name: 'Jonas Weber', address: 'j.weber+tickets@example.org' }]);
    expect(m.html).toContain('<img src="cid:photo1@example.net"');
    expect(m.html).toContain('<b>TX-200</b>');
    for (const bad of ['<script', 'alert(', 'onerror', 'onclick', 'javascript:', '<form', '<input', '<style', 'font-family:Arial']) {
      expect(m.html).not.toContain(bad);
    }
    expect(m.html).toContain('href="https://example.net/help"');
    expect(m.attachments.map(({ content: _c, ...rest }) => rest)).toEqual([
      { index: 0, filename: 'display.png', contentType: 'image/png', size: 70, contentId: 'photo1@example.net', inline: true, sha256: expect.any(String) },
      { index: 1, filename: 'Rechnung 2025-0113.pdf', contentType: 'application/pdf', size: 218, contentId: '', inline: false, sha256: expect.any(String) },
      { index: 2, filename: 'attachment-3.bin', contentType: 'application/octet-stream', size: 24, contentId: '', inline: false, sha256: expect.any(String) },
    ]);
    for (const a of m.attachments) expect(a.sha256).toBe(sha(a.content));
    expect(Buffer.from(m.attachments[1].content).toString('latin1')).toMatch(/^%PDF-1\.4/);
  });

  it('reads In-Reply-To and References oldest first without brackets', async () => {
    const m = await parseMail(fixture('reply-customer.eml'));
    expect(m.inReplyTo).toEqual(['ticket-1001-reply-1@example.com']);
    expect(m.references).toEqual(['CAF3x9QWm1@mail.example.net', 'ticket-1001-reply-1@example.com']);
  });

  it('keeps every id of an In-Reply-To that names several', async () => {
    const raw = Buffer.from('From: a@example.net\r\nIn-Reply-To: <one@x.example> (comment) <two@x.example>\r\n\r\nhi\r\n');
    expect((await parseMail(raw)).inReplyTo).toEqual(['one@x.example', 'two@x.example']);
  });

  it('derives a stable Message-ID from the bytes when the mail has none', async () => {
    const raw = fixture('no-message-id.eml');
    const a = await parseMail(raw);
    const b = await parseMail(Buffer.from(raw));
    expect(a.messageIdGenerated).toBe(true);
    expect(a.messageId).toBe(`${sha(raw).slice(0, 32)}@postroom.invalid`);
    expect(b.messageId).toBe(a.messageId);
    const other = await parseMail(Buffer.concat([raw, Buffer.from('one more line\n')]));
    expect(other.messageId).not.toBe(a.messageId);
  });

  it('exposes the delivery-status and the returned header block of a DSN, and the null sender', async () => {
    const m = await parseMail(fixture('bounce-postfix.eml'));
    expect(m.contentType).toMatch(/^multipart\/report; report-type=delivery-status; boundary=/);
    expect(m.hasReturnPath).toBe(true);
    expect(m.returnPath).toBe('');
    expect(m.reportParts.map((p) => p.contentType)).toEqual(['message/delivery-status', 'message/rfc822']);
    expect(m.reportParts[0].text).toContain('Status: 5.1.1');
    expect(m.reportParts[1].text).toContain('Message-ID: <20250114101504.7f3a9c@example.com>');
    expect(m.reportParts[1].text).not.toContain('thanks for your question');
    expect(m.attachments.map((a) => [a.filename, a.contentType])).toEqual([['attachment-1.eml', 'message/rfc822']]);
    expect(m.text).toContain('could not');
    expect(m.text).not.toContain('Reporting-MTA');
  });

  it('keeps text/rfc822-headers as a report part and not as an attachment', async () => {
    const m = await parseMail(fixture('delay-postfix.eml'));
    expect(m.reportParts.map((p) => p.contentType)).toEqual(['message/delivery-status', 'text/rfc822-headers']);
    expect(m.attachments).toEqual([]);
  });

  it('recovers what it can from a broken but header-bearing mail', async () => {
    const m = await parseMail(fixture('malformed-recoverable.eml'));
    expect(m.dateMs).toBe(0);
    expect(m.messageId).toBe('CAA.no.angle.brackets@example.org');
    expect(m.to).toEqual([{ name: '', address: 'support@example.com' }]);
    expect(m.text).toContain('Hello, this body is fine');
  });

  it('accepts a leading mbox From_ line', async () => {
    const raw = Buffer.from('From someone@example.net Tue Jan 14 10:00:00 2025\nSubject: hi\nFrom: a@example.net\n\nbody\n');
    expect((await parseMail(raw)).subject).toBe('hi');
  });

  it('rejects bytes without a header section as UNPARSEABLE', async () => {
    for (const raw of [fixture('malformed-unparseable.eml'), new Uint8Array(0), Buffer.from('\r\nbody only\r\n')]) {
      const err = await parseMail(raw).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TerminalError);
      expect((err as TerminalError).code).toBe('UNPARSEABLE');
    }
  });

  it('rejects a mail over the size limit as OVER_LIMIT', async () => {
    const err = await parseMail(fixture('plain-customer.eml'), { maxBytes: 100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TerminalError);
    expect((err as TerminalError).code).toBe('OVER_LIMIT');
    expect((err as Error).message).toMatch(/over the limit of 100 bytes/);
  });
});

describe('parseMail sender edge cases', () => {
  it('keeps a From that has a name but an empty address (MAILER-DAEMON <>)', async () => {
    const m = await parseMail(Buffer.from('From: MAILER-DAEMON <>\r\nSubject: Mail delivery failed\r\n\r\nx\r\n'));
    expect(m.from).toEqual({ name: 'MAILER-DAEMON', address: '' });
  });
});
