// A before/after check of the client's CPU cost per item pushed or iterated, against the
// canned-response server.
//
//   npx tsc --build && node --expose-gc bench/profile-apify.js [--op push|iterate] [--variant <name>] [--items 100000] [--rounds 3]
//   node --expose-gc --cpu-prof --cpu-prof-dir=/tmp/prof bench/profile-apify.js --op iterate --variant impit
//
// Starts the emulator and the canned-response server (bench/apify/canned-server.js) as child
// processes, records the answers once, then pushes `items` items per round to a fresh dataset (or
// iterates a dataset of `items` items prepared once) in this process through the chosen client
// variant(s), and prints items/s and CPU µs per item (process.cpuUsage of this process only: the
// servers run elsewhere). Variants: official, impit, @pluggable/http (default all, interleaved
// round by round).
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { makeClient, makeItems, OFFICIAL, OURS_DEFAULT } from './apify/clients.js';
import { settle } from './lib/memory.js';
import { startCommand } from './lib/processes.js';
import { median } from './lib/stats.js';

const NAMES = { official: OFFICIAL, impit: OURS_DEFAULT, '@pluggable/http': 'ApifyClient + @pluggable/http' };
const { values } = parseArgs({
  options: {
    op: { type: 'string', default: 'push' },
    variant: { type: 'string', multiple: true },
    items: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '3' },
  },
});
const variants = (values.variant ?? Object.keys(NAMES)).map((v) => {
  if (!(v in NAMES)) throw new Error(`unknown variant ${v}; one of ${Object.keys(NAMES).join(', ')}`);
  return v;
});
if (values.op !== 'push' && values.op !== 'iterate')
  throw new Error(`unknown --op ${values.op}; push or iterate`);
const size = Number(values.items);
const rounds = Number(values.rounds);

const emulatorCli = fileURLToPath(new URL('../packages/apify-emulator/dist/cli.js', import.meta.url));
const cannedCli = fileURLToPath(new URL('./apify/canned-server.js', import.meta.url));
const emulator = await startCommand(process.execPath, [emulatorCli, '--port', '0']);
const canned = await startCommand(process.execPath, [cannedCli, emulator.line]);

/** The dataset every iterate round reads, filled once through the emulator itself. */
let iterated;

async function measure(variant) {
  const wrapped = await makeClient(NAMES[variant], canned.line);
  try {
    await wrapped.client.user('me').get();
    let work;
    if (values.op === 'push') {
      const dataset = await wrapped.client.datasets().getOrCreate(`profile-${Date.now()}`);
      const items = makeItems(size);
      work = () => wrapped.pushItems(dataset.id, items);
    } else {
      work = async () => {
        let count = 0;
        for await (const item of wrapped.iterateItems(iterated, 1000)) {
          if (item.id !== count) throw new Error(`item ${count} came back as ${JSON.stringify(item)}`);
          count++;
        }
        if (count !== size) throw new Error(`iterated ${count} items, expected ${size}`);
      };
    }
    await settle();
    const cpu = process.cpuUsage();
    const started = performance.now();
    await work();
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    return { itemsPerSecond: size / seconds, cpuUsPerItem: (used.user + used.system) / size };
  } finally {
    await wrapped.close();
  }
}

try {
  if (values.op === 'iterate') {
    const filler = await makeClient(NAMES.impit, emulator.line);
    const dataset = await filler.client.datasets().getOrCreate(`profile-iterate-${Date.now()}`);
    await filler.pushItems(dataset.id, makeItems(size));
    await filler.close();
    iterated = dataset.id;
  }
  for (const variant of variants) await measure(variant); // records the canned answers; unmeasured
  const results = new Map(variants.map((v) => [v, []]));
  for (let round = 0; round < rounds; round++)
    for (const variant of variants) results.get(variant).push(await measure(variant));
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
