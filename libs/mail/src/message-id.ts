/**
 * Message-ID handling (RFC 5322 §3.6.4). Postroom stores ids without angle
 * brackets; threading compares them exactly, because the id-left is
 * case-sensitive in principle and real clients never change its case.
 */
import { createHash } from 'node:crypto';

/** The domain of ids Postroom derives for mail that has none (RFC 2606 `.invalid`). */
export const GENERATED_ID_DOMAIN = 'postroom.invalid';

/** `<abc@x>` → `abc@x`; trims whitespace and comments; undefined when empty. */
export function normalizeMessageId(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const ids = parseMessageIds(value);
  if (ids.length > 0) return ids[0];
  const bare = value.replace(/\([^)]*\)/g, '').trim();
  return bare === '' ? undefined : bare.split(/\s+/)[0];
}

/**
 * Every msg-id in a header value (In-Reply-To, References), in order, without
 * brackets and without duplicates. Ids without brackets (seen from broken
 * clients) are accepted when they contain '@'.
 */
export function parseMessageIds(value: string | undefined): string[] {
  if (!value) return [];
  const cleaned = value.replace(/\([^)]*\)/g, ' ');
  const bracketed = [...cleaned.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]);
  const ids = bracketed.length > 0 ? bracketed : cleaned.split(/[\s,]+/).filter((t) => t.includes('@'));
  return [...new Set(ids.map((id) => id.trim()).filter((id) => id !== ''))];
}

/**
 * A stable Message-ID for a mail that has none: the same bytes always give
 * the same id, so a re-parse after a crash threads identically.
 */
export function generatedMessageId(raw: Uint8Array): string {
  const hex = createHash('sha256').update(raw).digest('hex').slice(0, 32);
  return `${hex}@${GENERATED_ID_DOMAIN}`;
}

/** `abc@x` → `<abc@x>` for writing headers. */
export function bracketMessageId(id: string): string {
  return `<${id.replace(/^<|>$/g, '')}>`;
}
