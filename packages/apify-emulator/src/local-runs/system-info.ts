import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times: 100 on every Linux build Node runs on. */
const TICKS_PER_SECOND = 100;

interface Sample {
  cpuSecs: number;
  at: number;
}

/** CPU seconds (its own and its reaped children's) and process group of one /proc entry; null once gone. */
function readStat(pid: string): { cpuSecs: number; group: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; fields after its closing parenthesis are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    return { cpuSecs: ticks / TICKS_PER_SECOND, group: Number(fields[2]) };
  } catch {
    return null;
  }
}

function readRssBytes(pid: string): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/**
 * What the run's container holds: every process of its process group (the start command's shell, the
 * actor, the browsers it launches). A child that exits moves its CPU time into its parent's, so the sum
 * only grows.
 */
function readGroup(group: number): { cpuSecs: number; memBytes: number } | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return null;
  }
  let cpuSecs = 0;
  let memBytes = 0;
  let found = false;
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(entry);
    if (stat === null || stat.group !== group) continue;
    found = true;
    cpuSecs += stat.cpuSecs;
    memBytes += readRssBytes(entry);
  }
  return found ? { cpuSecs, memBytes } : null;
}

/**
 * The `systemInfo` event's data for a run's processes (the group the spawned command leads), as the
 * platform reports a container's: memory and CPU (percent of one core). Measured from /proc on Linux;
 * elsewhere the figures are zeros, never overloaded.
 */
export class SystemInfoMeter {
  private readonly group: number;
  private readonly memoryLimitBytes: number;
  private last: Sample | null = null;
  private count = 0;
  private readonly mem = { sum: 0, max: 0 };
  private readonly cpu = { sum: 0, max: 0 };

  /** `group`: the process group ID, which is the PID of the process spawned as its leader. */
  constructor(group: number, memoryMbytes: number) {
    this.group = group;
    this.memoryLimitBytes = memoryMbytes * 1024 * 1024;
  }

  sample(): Record<string, unknown> {
    const now = Date.now();
    const proc = readGroup(this.group);
    let cpu = 0;
    if (proc !== null && this.last !== null && now > this.last.at)
      // An orphan reaped by init takes its time out of the group: the sum can drop, the usage cannot.
      cpu = Math.max(0, ((proc.cpuSecs - this.last.cpuSecs) / ((now - this.last.at) / 1000)) * 100);
    if (proc !== null) this.last = { cpuSecs: proc.cpuSecs, at: now };
    const mem = proc?.memBytes ?? 0;
    this.count++;
    this.mem.sum += mem;
    this.mem.max = Math.max(this.mem.max, mem);
    this.cpu.sum += cpu;
    this.cpu.max = Math.max(this.cpu.max, cpu);
    return {
      memAvgBytes: this.mem.sum / this.count,
      memCurrentBytes: mem,
      memMaxBytes: this.mem.max,
      memLimitBytes: this.memoryLimitBytes,
      cpuAvgUsage: this.cpu.sum / this.count,
      cpuMaxUsage: this.cpu.max,
      cpuCurrentUsage: cpu,
      isCpuOverloaded: cpu >= 100,
      createdAt: new Date(now).toISOString(),
    };
  }
}
