/**
 * What the benchmarks read from /proc about the processes and the machine:
 * CPU seconds, RSS, how busy the cores were, and what machine this is.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { Pipeline } from '@postroom/testing';

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Resident set size now and at its peak (VmRSS, VmHWM), MiB. */
export function rssMiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
}

/** CPU seconds per service since `since` (a previous reading), and peak RSS. */
export function serviceUsage(pipeline: Pipeline, since: Record<string, number> = {}): Record<string, { cpuSeconds: number; peakRssMiB: number }> {
  const out: Record<string, { cpuSeconds: number; peakRssMiB: number }> = {};
  for (const [name, s] of pipeline.services) {
    const pid = s.process.pid!;
    out[name] = { cpuSeconds: Math.round((cpuSeconds(pid) - (since[name] ?? 0)) * 10) / 10, peakRssMiB: rssMiB(pid).peak };
  }
  return out;
}

/** One reading (`cpuSeconds`, `writeCalls`) of every service process, by service name. */
export function eachService(pipeline: Pipeline, read: (pid: number) => number): Record<string, number> {
  return Object.fromEntries([...pipeline.services].map(([name, s]) => [name, read(s.process.pid!)]));
}

export const cpuNow = (pipeline: Pipeline) => eachService(pipeline, cpuSeconds);

/**
 * Write system calls a process has made so far (syscw, /proc/<pid>/io): on
 * these services nearly all are socket writes, and each wakes the peer that
 * reads it, so fewer per email is less CPU on both sides.
 */
export function writeCalls(pid: number): number {
  return Number(/syscw:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0);
}

/** Machine-wide busy fraction between two /proc/stat readings (all cores). */
export function machineTicks(): { busy: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = cpu[3] + cpu[4];
  const total = cpu.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

export const busyShare = (a: { busy: number; total: number }, b: { busy: number; total: number }) =>
  Math.round(((b.busy - a.busy) / Math.max(1, b.total - a.total)) * 100);

/** The machine this ran on, for the results. */
export function machine(): Record<string, string> {
  const sh = (cmd: string, args: string[]) => { try { return execFileSync(cmd, args, { encoding: 'utf8' }).trim(); } catch { return 'unknown'; } };
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  return {
    cores: sh('nproc', []),
    // Machines of one kind differ: one build measured 7.7 and 12.1–12.7 ms of CPU per email on two of them.
    cpu: `${/model name\s*:\s*(.+)/.exec(cpuinfo)?.[1] ?? 'unknown'} @ ${/cpu MHz\s*:\s*([\d.]+)/.exec(cpuinfo)?.[1] ?? '?'} MHz`,
    os: /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? 'unknown',
    node: process.version,
    dovecot: sh('/usr/sbin/dovecot', ['--version']),
    loadAverageAtStart: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
    // Dovecot's IDLE watches each folder with one inotify instance, counted per UID (all test users are
    // `nobody`); past this limit it polls every mailbox_idle_check_interval (30 s) instead.
    inotifyMaxUserInstances: readFileSync('/proc/sys/fs/inotify/max_user_instances', 'utf8').trim(),
  };
}

/** CPU seconds used so far by the shared infrastructure: NATS, every PostgreSQL process, this bench's Dovecot, the bench itself. */
export function infraCpu(dovecotPort: number): Record<string, number> {
  const out: Record<string, number> = { nats: 0, postgres: 0, dovecot: 0, bench: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6 };
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      const key = comm === 'nats-server' ? 'nats' : comm === 'postgres' ? 'postgres'
        : readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`postroom-dovecot-${dovecotPort}`) ? 'dovecot' : undefined;
      if (key) out[key] += cpuSeconds(Number(pid));
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

/** Per-key difference of two readings, rounded to 0.1. */
export const since = (before: Record<string, number>, after: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.keys(after).map((k) => [k, Math.round((after[k] - (before[k] ?? 0)) * 10) / 10]));
