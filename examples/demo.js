// `npm start`: the Apify client with three HTTP layers (impit, @pluggable/http, fetch) runs the same
// scenario against a local emulator that injects faults, checks its own results and prints a table
// per client. `node examples/demo.js --help` lists the flags.
import { parseDemoArgs, USAGE, UsageError } from './demo/args.js';
import { DemoCheckError } from './demo/checks.js';
import { HTTP_LAYERS } from './demo/clients.js';
import { askPlatformConsent } from './demo/platform-consent.js';
import { createProgress } from './demo/progress.js';
import { runScenario } from './demo/scenario.js';
import { stylerFor } from './demo/style.js';
import { resultTable, TABLE_LEGEND, verdict } from './demo/table.js';
import { chooseTarget, storageNames } from './demo/target.js';

const print = (line = '') => process.stdout.write(`${line}\n`);

async function runLayer(layer, target, args, phase) {
  const endpoint = await target.open();
  const client = layer.create({ baseUrl: endpoint.baseUrl, token: endpoint.token, retry: target.retry });
  try {
    const started = performance.now();
    const scenario = await runScenario({
      client,
      names: storageNames(layer.slug),
      items: args.items,
      phase,
      canRunActors: target.canRunActors,
    });
    return { layer, totalMs: performance.now() - started, stats: structuredClone(client.stats), scenario };
  } finally {
    await client.close();
    await endpoint.close();
  }
}

async function main(argv) {
  let args;
  try {
    args = parseDemoArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }

  const style = stylerFor(process.stdout);
  let target;
  try {
    target = chooseTarget(process.env, args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (target.kind === 'platform') {
    const consent = await askPlatformConsent(target, args);
    if (!consent.go) {
      process.stderr.write(`${consent.message}\n`);
      return consent.code;
    }
    // Quiet or not, a run against the real platform says so, and for whom.
    const line = `${target.description} Account: ${consent.account}.`;
    if (args.quiet) process.stderr.write(`${line}\n`);
    else print(line);
  } else if (!args.quiet) {
    print(target.description);
    if (target.note !== undefined) print(target.note);
  }
  const { phase, stop } = createProgress({ quiet: args.quiet, out: print });
  try {
    return await runAll(args, target, phase, style);
  } finally {
    stop();
  }
}

async function runAll(args, target, phase, style) {
  const results = [];
  for (const layer of HTTP_LAYERS) {
    if (!args.quiet) print(`\n${style('bold', layer.name)}: ${layer.detail}`);
    results.push(await runLayer(layer, target, args, phase));
  }

  if (!args.quiet) print();
  for (const [index, result] of results.entries()) {
    print(`${resultTable(result, style).join('\n')}\n`);
    // The rows' terms are explained once, right under the first table that uses them.
    if (index === 0) print(`${TABLE_LEGEND.map((line) => style('dim', line)).join('\n')}\n`);
  }

  const counts = results.map((result) => result.scenario.dataset.readBack);
  if (new Set(counts).size !== 1) {
    throw new DemoCheckError(`the clients read back different item counts: ${counts.join(', ')}`);
  }
  print(verdict(results, target));
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // A failed check explains itself; anything else keeps its stack for a bug report.
  const detail = error instanceof DemoCheckError ? error.message : (error?.stack ?? String(error));
  process.stderr.write(`\ndemo failed: ${detail}\n`);
  process.exitCode = 1;
}
