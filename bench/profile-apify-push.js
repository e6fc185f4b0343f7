// A before/after check of the client's CPU cost per pushed item, against the canned-response server.
//
//   npx tsc --build && node --expose-gc bench/profile-apify-push.js [--variant <name>] [--items 100000] [--rounds 3]
//   node --expose-gc --cpu-prof --cpu-prof-dir=/tmp/prof bench/profile-apify-push.js --variant '@pluggable/http'
//
// Starts the emulator and the canned-response server (bench/apify/canned-server.js) as child
// processes, records the answers once, then pushes `items` items per round in this process through
// the chosen client variant(s) and prints items/s and CPU µs per item (process.cpuUsage of this
// process only: the servers run elsewhere). Variants: official, impit, @pluggable/http (default all,
// interleaved round by round).
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { makeClient, makeItems, OFFICIAL, OURS_DEFAULT } from './apify/clients.js';
import { settle } from './lib/memory.js';
import { startCommand } from './lib/processes.js';
import { median } from './lib/stats.js';

const NAMES = { official: OFFICIAL, impit: OURS_DEFAULT, '@pluggable/http': 'ApifyClient + @pluggable/http' };
const { values } = parseArgs({
  options: {
    variant: { type: 'string', multiple: true },
    items: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '3' },
  },
});
const variants = (values.variant ?? Object.keys(NAMES)).map((v) => {
  if (!(v in NAMES)) throw new Error(`unknown variant ${v}; one of ${Object.keys(NAMES).join(', ')}`);
  return v;
});
const size = Number(values.items);
const rounds = Number(values.rounds);

const emulatorCli = fileURLToPath(new URL('../packages/apify-emulator/dist/cli.js', import.meta.url));
const cannedCli = fileURLToPath(new URL('./apify/canned-server.js', import.meta.url));
const emulator = await startCommand(process.execPath, [emulatorCli, '--port', '0']);
const canned = await startCommand(process.execPath, [cannedCli, emulator.line]);

async function push(variant) {
  const wrapped = await makeClient(NAMES[variant], canned.line);
  try {
    await wrapped.client.user('me').get();
    const dataset = await wrapped.client.datasets().getOrCreate(`profile-${Date.now()}`);
    const items = makeItems(size);
    await settle();
    const cpu = process.cpuUsage();
    const started = performance.now();
    await wrapped.pushItems(dataset.id, items);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    return { itemsPerSecond: size / seconds, cpuUsPerItem: (used.user + used.system) / size };
  } finally {
    await wrapped.close();
  }
}

try {
  for (const variant of variants) await push(variant); // records the canned answers; unmeasured
  const results = new Map(variants.map((v) => [v, []]));
  for (let round = 0; round < rounds; round++)
    for (const variant of variants) results.get(variant).push(await push(variant));
  for (const [variant, list] of results) {
    const ips = median(list.map((r) => r.itemsPerSecond));
    const cpu = median(list.map((r) => r.cpuUsPerItem));
    console.log(
      `${variant.padEnd(16)} ${Math.round(ips).toString().padStart(8)} items/s  ${cpu.toFixed(2)} µs CPU/item`,
    );
  }
} finally {
  await canned.stop();
  await emulator.stop();
}
