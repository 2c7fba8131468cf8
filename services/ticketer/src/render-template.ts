/**
 * `{{variable}}` substitution for auto-response templates. Values come from
 * the customer's email (their name, the subject), so in HTML they are
 * escaped: a display name must not inject markup into our reply.
 */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);

/** Replaces `{{ name }}` with vars[name]; unknown variables render empty. */
export function renderTemplate(template: string, vars: Record<string, string>, opts: { html?: boolean } = {}): string {
  return template.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (_, name: string) => {
    const value = vars[name] ?? '';
    return opts.html ? escapeHtml(value) : value;
  });
}
