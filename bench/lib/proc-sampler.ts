/**
 * Memory and CPU of another process from Linux's /proc, sampled from the
 * outside so the measuring costs the measured process nothing:
 * `VmRSS`/`VmHWM` from /proc/<pid>/status, user+system CPU ticks from
 * /proc/<pid>/stat.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { summarize } from "./stats";

const CLK_TCK = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

export interface ProcSample {
  at: number;
  rssKb: number;
  peakKb: number;
  cpuTicks: number;
}

export function sampleProc(pid: number): ProcSample {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
  const cpuTicks = Number(rest[11]) + Number(rest[12]);
  return { at: performance.now(), rssKb: kb("VmRSS"), peakKb: kb("VmHWM"), cpuTicks };
}

export interface UsageSummary {
  seconds: number;
  rssMb: { p50: number; max: number };
  peakMb: number;
  /** Percent of one core over the whole window. */
  cpuPercent: number;
}

/** Samples `pid` every `intervalMs` until `stop()`. */
export function startSampling(pid: number, intervalMs = 1000): { stop(): UsageSummary } {
  const samples: ProcSample[] = [sampleProc(pid)];
  const timer = setInterval(() => {
    try {
      samples.push(sampleProc(pid));
    } catch {
      /* the process ended; stop() reports what was seen */
    }
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      try {
        samples.push(sampleProc(pid));
      } catch {
        /* ended */
      }
      const first = samples[0]!;
      const last = samples[samples.length - 1]!;
      const seconds = (last.at - first.at) / 1000;
      const rss = summarize(samples.map((s) => s.rssKb / 1024));
      return {
        seconds,
        rssMb: { p50: rss.p50, max: rss.max },
        peakMb: last.peakKb / 1024,
        cpuPercent: seconds > 0 ? ((last.cpuTicks - first.cpuTicks) / CLK_TCK / seconds) * 100 : NaN,
      };
    },
  };
}
