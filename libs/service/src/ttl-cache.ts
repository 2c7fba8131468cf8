/**
 * A small read-through cache for settings rows that many messages read and
 * people rarely change (a mailbox's classification, auto-response and
 * afterFiled settings): a backfill would otherwise read the same row for
 * every email. A change is seen within the ttl.
 */

/** Keeps each loaded value for `ttlMs`; a failed load is not kept. Bounded, oldest entry first out. */
export function ttlCache<V>(ttlMs: number, now: () => number = Date.now, maxEntries = 10_000) {
  const entries = new Map<string, { value: V; expires: number }>();
  return async (key: string, load: () => Promise<V>): Promise<V> => {
    const hit = entries.get(key);
    if (hit && hit.expires > now()) return hit.value;
    const value = await load();
    entries.delete(key);
    if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
    entries.set(key, { value, expires: now() + ttlMs });
    return value;
  };
}
