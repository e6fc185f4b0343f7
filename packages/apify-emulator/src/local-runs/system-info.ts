import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times: 100 on every Linux build Node runs on. */
const TICKS_PER_SECOND = 100;

interface Sample {
  cpuSecs: number;
  at: number;
}

function readProc(pid: number): { cpuSecs: number; memBytes: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; fields after its closing parenthesis are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuSecs = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    return { cpuSecs, memBytes: rssKb * 1024 };
  } catch {
    return null;
  }
}

/**
 * The `systemInfo` event's data for one process, as the platform reports a container's: memory and CPU
 * (percent of one core). Measured from /proc on Linux; elsewhere the figures are zeros, never overloaded.
 */
export class SystemInfoMeter {
  private readonly pid: number;
  private readonly memoryLimitBytes: number;
  private last: Sample | null = null;
  private count = 0;
  private readonly mem = { sum: 0, max: 0 };
  private readonly cpu = { sum: 0, max: 0 };

  constructor(pid: number, memoryMbytes: number) {
    this.pid = pid;
    this.memoryLimitBytes = memoryMbytes * 1024 * 1024;
  }

  sample(): Record<string, unknown> {
    const now = Date.now();
    const proc = readProc(this.pid);
    let cpu = 0;
    if (proc !== null && this.last !== null && now > this.last.at)
      cpu = ((proc.cpuSecs - this.last.cpuSecs) / ((now - this.last.at) / 1000)) * 100;
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
