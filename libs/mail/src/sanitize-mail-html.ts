/**
 * Makes a mail's HTML safe to render in the agent's browser: no scripts,
 * styles sheets, event handlers, javascript: URLs, forms or frames. Keeps
 * basic formatting, tables (most HTML mail is table layout) and images,
 * including `cid:` references to inline parts (RFC 2392), so the UI can
 * point them at the stored attachment. The only importer of sanitize-html.
 */
import sanitizeHtml from 'sanitize-html';

const TAGS = [...sanitizeHtml.defaults.allowedTags, 'img', 'font', 'center', 'big', 'del', 'ins', 'strike'];

const CELL = ['align', 'valign', 'width', 'height', 'bgcolor', 'colspan', 'rowspan', 'border', 'cellpadding', 'cellspacing'];

const SAFE_VALUE = /^[#(),.%\w\s-]*$/;

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: TAGS,
  allowedAttributes: {
    a: ['href', 'name', 'title', 'target', 'rel'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    font: ['color', 'face', 'size'],
    '*': ['style', 'dir', 'lang', ...CELL],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['cid', 'http', 'https', 'data'] },
  allowProtocolRelative: false,
  // Inline styles are how HTML mail formats text; only plain values of a
  // fixed set of properties survive (no url(), no positioning over the UI).
  allowedStyles: {
    '*': Object.fromEntries(
      [
        'color', 'background-color', 'text-align', 'font-weight', 'font-style', 'font-size', 'font-family',
        'text-decoration', 'line-height', 'margin', 'padding', 'border', 'width', 'height', 'vertical-align',
      ].map((p) => [p, [SAFE_VALUE]]),
    ),
  },
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { target: '_blank', rel: 'noopener noreferrer nofollow' }),
  },
  disallowedTagsMode: 'discard',
};

/** The sanitised HTML; '' for empty input. */
export function sanitizeMailHtml(html: string): string {
  if (html.trim() === '') return '';
  return sanitizeHtml(html, OPTIONS).trim();
}
