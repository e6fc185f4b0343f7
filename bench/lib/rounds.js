// Interleaved rounds: A B C … A B C …, each figure then summarised as median and min–max, with the
// ratio to the baseline taken inside each round (so a slow moment hits every peer alike).
import { spread } from './stats.js';

/**
 * `measure(peer)` returns one round's figures. `ratios` names figures to divide by the baseline's
 * figure from the same round, e.g. { ratio: 'rps', p99Ratio: 'p99' }.
 */
export async function interleave({ peers, rounds, baseline, measure, ratios, log }) {
  const perPeer = new Map(peers.map((peer) => [peer.name, { peer: peer.name, rounds: [], errors: [] }]));
  for (let round = 0; round < rounds; round++) {
    const figures = new Map();
    for (const peer of peers) {
      try {
        const result = await measure(peer, round);
        figures.set(peer.name, { round: round + 1, ...result });
      } catch (error) {
        const message = String(error?.message ?? error)
          .split('\n')
          .slice(0, 6)
          .join('\n');
        perPeer.get(peer.name).errors.push(`round ${round + 1}: ${message}`);
        log(`  ✗ ${peer.name}: ${message}`);
      }
    }
    const base = figures.get(baseline);
    for (const [name, result] of figures) {
      for (const [ratioName, figure] of Object.entries(ratios)) {
        result[ratioName] = base ? result[figure] / base[figure] : Number.NaN;
      }
      perPeer.get(name).rounds.push(result);
    }
    log(`  round ${round + 1}/${rounds} done`);
  }
  return [...perPeer.values()].map((row) => ({ ...row, summary: summarise(row.rounds) }));
}

export function summarise(rounds) {
  const keys = new Set(rounds.flatMap((r) => Object.keys(r)));
  keys.delete('round');
  const summary = {};
  for (const key of keys) {
    const s = spread(rounds.map((r) => r[key]));
    if (s !== null) summary[key] = s;
  }
  return summary;
}

/**
 * The profilers' loop: one warm-up per client, then `rounds` rounds taking the clients in turn (so
 * a slow moment spreads over all of them). Closes the clients and calls `stop` however it ends.
 * Returns each client's round results, by name.
 */
export async function alternate({ clients, rounds, round, warmup = round, stop }) {
  const results = new Map(clients.map(({ name }) => [name, []]));
  try {
    for (const { client } of clients) await warmup(client);
    for (let i = 0; i < rounds; i++) {
      for (const { name, client } of clients) results.get(name).push(await round(client));
    }
  } finally {
    for (const { client } of clients) await client.close();
    await stop();
  }
  return results;
}
