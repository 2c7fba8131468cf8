/**
 * Header fields as RFC 5322 §2.2 defines them: a name, a colon and a value
 * that may be folded over several lines. Also the "fields in groups" syntax
 * that RFC 3464 (delivery-status), RFC 8098 (disposition-notification) and
 * RFC 5965 (feedback-report) reuse for their machine-readable parts.
 */

/** One header field: name lower-cased, value unfolded and trimmed. */
export interface HeaderField {
  name: string;
  value: string;
}

/** RFC 5322 §2.2: field-name is printable US-ASCII except ':'. */
const FIELD_NAME = /^[!-9;-~]+$/;

/** RFC 5322 §2.2.3: unfolding removes CRLF that is followed by whitespace. */
export function unfold(value: string): string {
  return value.replace(/\r?\n(?=[ \t])/g, '').replace(/\r?\n$/, '');
}

/** Splits one raw (possibly folded) header line into a field; undefined when it is not one. */
export function splitHeaderLine(line: string): HeaderField | undefined {
  const colon = line.indexOf(':');
  if (colon <= 0) return undefined;
  const name = line.slice(0, colon).trim();
  if (!FIELD_NAME.test(name)) return undefined;
  return { name: name.toLowerCase(), value: unfold(line.slice(colon + 1)).trim() };
}

/** True when `line` (the first line of a message) starts a header field. */
export function isHeaderFieldLine(line: string): boolean {
  const colon = line.indexOf(':');
  return colon > 0 && FIELD_NAME.test(line.slice(0, colon));
}

/** Every value of the named header (case-insensitive), in order. */
export function headerValues(headers: readonly HeaderField[], name: string): string[] {
  const wanted = name.toLowerCase();
  return headers.filter((h) => h.name === wanted).map((h) => h.value);
}

/** The first (topmost) value of the named header. */
export function firstHeader(headers: readonly HeaderField[], name: string): string | undefined {
  const wanted = name.toLowerCase();
  return headers.find((h) => h.name === wanted)?.value;
}

/**
 * Parses a block of header lines (a header section, or a text/rfc822-headers
 * part) into fields, in order. Lines that are neither fields nor
 * continuations are skipped: report parts from real MTAs are not always tidy.
 */
export function parseHeaderBlock(text: string): HeaderField[] {
  return parseFieldGroups(text, { stopAtBlankLine: true })[0] ?? [];
}

/**
 * RFC 3464 §2.1: groups of fields separated by blank lines (per-message
 * fields first, then one group per recipient). Continuation lines fold into
 * the preceding field (§2.1.1 allows RFC 822 folding).
 */
export function parseFieldGroups(text: string, opts: { stopAtBlankLine?: boolean } = {}): HeaderField[][] {
  const groups: HeaderField[][] = [];
  let current: string[] = [];
  const flush = () => {
    const fields = current.map(splitHeaderLine).filter((f): f is HeaderField => f !== undefined);
    if (fields.length > 0) groups.push(fields);
    current = [];
  };
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      flush();
      if (opts.stopAtBlankLine && groups.length > 0) return groups;
    } else if (/^[ \t]/.test(line) && current.length > 0) {
      current[current.length - 1] += `\n${line}`;
    } else {
      current.push(line);
    }
  }
  flush();
  return groups;
}

/** The value of `name` in one group of fields. */
export function fieldValue(fields: readonly HeaderField[], name: string): string | undefined {
  return firstHeader(fields, name);
}
