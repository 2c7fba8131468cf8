/**
 * The oldest NATS server Postroom runs on, and a small semver comparison so
 * the check needs no dependency. 2.9 is the floor: it brought the consumer
 * create API with a filter subject, `nak` with a delay and the stream
 * message-get API the bus relies on.
 */

export const MIN_NATS_VERSION = '2.9.0';

interface ParsedVersion {
  core: [number, number, number];
  pre: string[];
}

function parse(version: string): ParsedVersion {
  const [main, pre = ''] = version.trim().replace(/^v/, '').split('+')[0].split(/-(.*)/s);
  const nums = main.split('.').map((n) => Number.parseInt(n, 10));
  const core: [number, number, number] = [0, 1, 2].map((i) => (Number.isFinite(nums[i]) ? nums[i] : 0)) as [
    number,
    number,
    number,
  ];
  return { core, pre: pre === '' ? [] : pre.split('.') };
}

function comparePre(a: string[], b: string[]): number {
  // SemVer 2.0.0 §11: a version without pre-release ranks above one with it.
  if (a.length === 0 || b.length === 0) return b.length - a.length;
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    if (a[i] === undefined) return -1;
    if (b[i] === undefined) return 1;
    const na = /^\d+$/.test(a[i]) ? Number(a[i]) : NaN;
    const nb = /^\d+$/.test(b[i]) ? Number(b[i]) : NaN;
    if (!Number.isNaN(na) && !Number.isNaN(nb) && na !== nb) return na < nb ? -1 : 1;
    if (Number.isNaN(na) !== Number.isNaN(nb)) return Number.isNaN(na) ? 1 : -1;
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

/** Semver order of two versions: negative if a < b, 0 if equal, positive if a > b. */
export function compareVersions(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  for (let i = 0; i < 3; i += 1) {
    if (pa.core[i] !== pb.core[i]) return pa.core[i] < pb.core[i] ? -1 : 1;
  }
  return comparePre(pa.pre, pb.pre);
}

/** True when a server reporting `version` is new enough for Postroom. */
export const isSupportedServer = (version: string): boolean => compareVersions(version, MIN_NATS_VERSION) >= 0;
