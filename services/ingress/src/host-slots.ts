/**
 * A cap on the IMAP connections this ingress holds to one server host, so a
 * thousand mailboxes on one provider do not open a thousand connections at
 * once (providers throttle or ban: Gmail allows about 15 per account, hosted
 * Exchange limits per IP). Folders beyond the cap wait for a free slot.
 */

export interface HostSlots {
  /** Resolves with a release function once the host has a free slot; rejects when `signal` aborts first. */
  acquire(host: string, signal?: AbortSignal): Promise<() => void>;
  /** Connections held now to `host`. */
  inUse(host: string): number;
}

function waitForSlot(waiting: Map<string, Array<() => void>>, host: string, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const wake = () => {
      signal?.removeEventListener('abort', abort);
      resolve();
    };
    const abort = () => {
      waiting.set(host, (waiting.get(host) ?? []).filter((w) => w !== wake));
      reject(new Error(`stopped while waiting for a connection slot to ${host}`));
    };
    if (signal?.aborted) return abort();
    signal?.addEventListener('abort', abort, { once: true });
    waiting.set(host, [...(waiting.get(host) ?? []), wake]);
  });
}

export function createHostSlots(maxPerHost: number): HostSlots {
  const used = new Map<string, number>();
  const waiting = new Map<string, Array<() => void>>();
  const release = (host: string) => {
    const next = waiting.get(host)?.shift();
    if (next) return next();
    used.set(host, (used.get(host) ?? 1) - 1);
  };
  return {
    async acquire(host, signal) {
      if ((used.get(host) ?? 0) < maxPerHost) used.set(host, (used.get(host) ?? 0) + 1);
      else await waitForSlot(waiting, host, signal);
      let released = false;
      return () => {
        if (!released) release(host);
        released = true;
      };
    },
    inUse: (host) => used.get(host) ?? 0,
  };
}
