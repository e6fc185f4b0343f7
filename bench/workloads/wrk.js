// The ceiling: the same server driven by wrk (C, near-zero client cost), for GET /json.
import { runCommand } from '../lib/processes.js';

const UNITS = { us: 1e-3, ms: 1, s: 1000 };

function latencyMs(text, label) {
  const match = new RegExp(`^\\s*${label}\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(text);
  return match ? Number(match[1]) * UNITS[match[2]] : Number.NaN;
}

export async function wrkRow({ url, connections, seconds }) {
  const out = await runCommand('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url]);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  if (!rps) throw new Error(`could not read wrk's output:\n${out}`);
  if (/Non-2xx|Socket errors/.test(out)) throw new Error(`wrk saw errors:\n${out}`);
  return { rps: Number(rps[1]), p50: latencyMs(out, '50%'), p99: latencyMs(out, '99%') };
}
