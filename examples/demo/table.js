// The per-client result table. Every number comes from the run itself or from client.stats as the
// client reports it; "retried attempts" is the difference stats.requests − stats.calls.
import { formatNumber, formatSeconds } from './style.js';

function rateLimitsByAttempt(counts) {
  const parts = counts
    .map((count, index) => `#${index + 1}: ${count}`)
    .filter((part) => !part.endsWith(': 0'));
  return parts.length === 0 ? 'none' : parts.join(', ');
}

/**
 * @param {{ layer: { name: string, detail: string }, totalMs: number, stats: { calls: number,
 *   requests: number, rateLimitErrors: number[] }, scenario: object }} result
 * @returns {string[]}
 */
export function resultTable({ layer, totalMs, stats, scenario }, style) {
  const { dataset, keyValueStore, requestQueue, actorRun, tally } = scenario;
  const rows = [
    ['time', formatSeconds(totalMs), 'the whole scenario'],
    ['items/s pushed', formatNumber(dataset.pushed / (dataset.pushMs / 1000)), formatSeconds(dataset.pushMs)],
    ['items/s read', formatNumber(dataset.readBack / (dataset.readMs / 1000)), formatSeconds(dataset.readMs)],
    ['items read back', formatNumber(dataset.readBack), 'checked one by one against those pushed'],
    ['key-value records', formatNumber(keyValueStore.records), 'written, read back and compared'],
    [
      'queue requests',
      formatNumber(requestQueue.requests),
      `all handled, ${requestQueue.retried} after a retry`,
    ],
    ['actor run', actorRun === undefined ? 'skipped' : 'SUCCEEDED', actorRun?.runId ?? 'needs the emulator'],
    ['stats.calls', formatNumber(stats.calls), 'API calls made'],
    ['stats.requests', formatNumber(stats.requests), 'HTTP attempts sent'],
    ['retried attempts', formatNumber(stats.requests - stats.calls), 'stats.requests − stats.calls'],
    ['429s by attempt', rateLimitsByAttempt(stats.rateLimitErrors), 'stats.rateLimitErrors'],
    ['unknown outcomes', formatNumber(tally.unknownOutcomes), 'writes looked up instead of replayed'],
    ['stale locks freed', formatNumber(tally.staleLocksReleased), 'locks from lost lock responses'],
  ];
  return [
    `${style('bold', layer.name)}  ${style('dim', layer.detail)}`,
    ...rows.map(
      ([label, value, note]) => `  ${label.padEnd(18)} ${value.padStart(12)}  ${style('dim', note)}`,
    ),
  ];
}
