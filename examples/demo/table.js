// The per-client result table. Every number comes from the run itself or from client.stats as the
// client reports it; "retried attempts" is the difference stats.requests − stats.calls.
import { formatNumber, formatSeconds } from './style.js';
import { percent } from './target.js';

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
    ['unknown outcomes', formatNumber(tally.unknownOutcomes), 'writes looked up, not resent'],
    ['stale locks freed', formatNumber(tally.staleLocksReleased), 'locks released after a lost reply'],
  ];
  return [
    `${style('bold', layer.name)}  ${style('dim', layer.detail)}`,
    ...rows.map(
      ([label, value, note]) => `  ${label.padEnd(18)} ${value.padStart(12)}  ${style('dim', note)}`,
    ),
  ];
}

/** What the table's less obvious rows mean, printed once under the first table. */
export const TABLE_LEGEND = [
  'What the rows mean:',
  '  stats.calls          API calls the code made (one pushItems() is one call)',
  '  stats.requests       HTTP requests sent for them; a call that met a fault is sent again',
  '  retried attempts     requests that were a retry after a fault or a 429',
  '  429s by attempt      "too many requests" answers, by the attempt of a call that got them',
  '  unknown outcomes     writes whose reply was lost after the request went out (a reset or a cut',
  '                       response): resending could store them twice, so the demo looked whether',
  '                       they had landed and sent them again only if not',
  '  stale locks freed    request-queue locks taken by a request whose reply was lost; the demo',
  '                       released them so the queue requests could be handled',
];

/**
 * The one plain sentence the demo ends with: what the checks proved, with the run's own numbers.
 * Every clause is something a check above enforced, or the run would have failed instead.
 */
export function verdict(results, target) {
  const [first] = results;
  const { dataset, keyValueStore, requestQueue, actorRun } = first.scenario;
  const retried = results.reduce((sum, { stats }) => sum + stats.requests - stats.calls, 0);
  const conditions =
    target.kind === 'platform'
      ? `against the Apify API at ${target.baseUrl}`
      : target.faultRate > 0
        ? `through ${percent(target.faultRate)} injected faults (${formatNumber(retried)} requests retried)`
        : 'with no injected faults';
  const extras = [
    `${formatNumber(keyValueStore.records)} key-value records`,
    `${formatNumber(requestQueue.requests)} queue requests`,
    ...(actorRun === undefined ? [] : ['an actor run']),
  ];
  return (
    `All ${results.length} clients stored and read back every one of ${formatNumber(dataset.readBack)} ` +
    `items exactly once, in order, and handled ${extras.join(', ').replace(/, ([^,]*)$/, ' and $1')} ` +
    `correctly, ${conditions}.`
  );
}
