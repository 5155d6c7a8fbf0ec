import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time by component over a window, for the pipeline section (DESIGN §6: CPU per transition
 * reported by component). This process (`process.cpuUsage`) runs the handlers, their SDK clients
 * and local mode's own runtime (API front, pollers, SES front); each emulator runs in its own
 * process group, read from `/proc/<pid>/stat` (Linux only: elsewhere the emulators read as
 * unknown).
 */

/** Clock ticks per second of `/proc/<pid>/stat`'s times (USER_HZ, 100 on Linux almost always). */
const TICKS_PER_SECOND = (() => {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
})();

/** User + system CPU of every live process in the process group `pgid`, in ms; undefined without `/proc`. */
export function processGroupCpuMs(pgid: number): number | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  let ticks = 0;
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // `pid (comm) state ppid pgrp … utime stime …`; comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) !== pgid) continue;
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** A component whose CPU is read: a label and how to read its total so far (ms). */
export interface CpuSource {
  label: string;
  read(): number | undefined;
}

/** This process: user + system CPU so far, in ms. */
export function thisProcessCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Starts a window: `stop()` gives each component's CPU (ms) since, undefined where unreadable. */
export function cpuWindow(sources: CpuSource[]): { stop(): { label: string; ms: number | undefined }[] } {
  const before = sources.map((s) => s.read());
  return {
    stop: () =>
      sources.map((source, i) => {
        const start = before[i];
        const end = source.read();
        return {
          label: source.label,
          ms: start === undefined || end === undefined ? undefined : end - start,
        };
      }),
  };
}
