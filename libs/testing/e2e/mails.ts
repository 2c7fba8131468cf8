/** The emails the end-to-end tests send, built here so each test controls every header. */

const now = () => new Date().toUTCString();

/** A customer's new request: HTML with a script to strip, a Cc, and a PDF attachment. */
export function customerMail(messageId: string, to = 'support@e2e.example'): string {
  return [
    'From: Ada Customer <ada@customer.example>',
    `To: Support <${to}>`,
    'Cc: grace@customer.example',
    'Subject: Broken teapot',
    `Date: ${now()}`,
    `Message-ID: <${messageId}>`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="outer"',
    '',
    '--outer',
    'Content-Type: multipart/alternative; boundary="alt"',
    '',
    '--alt',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'The spout is cracked. Receipt attached.',
    '--alt',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<p>The spout is <b>cracked</b>.</p><img src="x" onerror="steal()"><script>steal()</script>',
    '--alt--',
    '--outer',
    'Content-Type: application/pdf; name="receipt.pdf"',
    'Content-Disposition: attachment; filename="receipt.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from('%PDF-1.4 receipt\n').toString('base64'),
    '--outer--',
    '',
  ].join('\r\n');
}

/** The customer's reply to `inReplyTo`, as a mail client would thread it. */
export function customerReply(messageId: string, inReplyTo: string, to = 'support@e2e.example'): string {
  return [
    'From: Ada Customer <ada@customer.example>',
    `To: ${to}`,
    'Subject: Re: Broken teapot',
    `Date: ${now()}`,
    `Message-ID: <${messageId}>`,
    `In-Reply-To: <${inReplyTo}>`,
    `References: <${inReplyTo}>`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Any news?',
    '',
  ].join('\r\n');
}

/** Bytes with no header section at all: what the parser must refuse as UNPARSEABLE. */
export const GARBAGE = '\r\n\r\nthis is not an email, just a body with no header section\r\n';
