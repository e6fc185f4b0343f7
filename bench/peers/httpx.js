// HTTPX (Python) on the same workloads: bench/httpx_client.py prints the same figures as Node peers.
import { fileURLToPath } from 'node:url';
import { runCommand } from '../lib/processes.js';
import { SYSTEM_PYTHON } from '../lib/system-tools.js';

const SCRIPT = fileURLToPath(new URL('../httpx_client.py', import.meta.url));

async function python(args) {
  const stdout = await runCommand(SYSTEM_PYTHON, [SCRIPT, ...args.map(String)]);
  return JSON.parse(stdout.trim().split('\n').at(-1));
}

export const httpxPeer = {
  name: 'httpx (Python)',
  python: true,
  requests: ({ origin, path, method, concurrency, requests, warmup, bodyBytes, expectBytes }) =>
    python(['requests', origin, path, method, concurrency, requests, warmup, bodyBytes, expectBytes]),
  download: ({ origin, bytes }) => python(['download', origin, `/stream/${bytes}`, bytes]),
  upload: ({ origin, file }) => python(['upload', origin, '/sink', file]),
};
