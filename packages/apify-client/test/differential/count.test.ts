import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allCases } from './all-cases.js';
import { type CannedApi, startCannedApi } from './canned-api.js';
import { type Observed, runBoth } from './harness.js';

const GUIDE = new URL('../../../../docs/migrating-from-apify-client.md', import.meta.url);

function same(official: Observed, ours: Observed): boolean {
  try {
    expect(ours.requests).toEqual(official.requests);
    expect(ours.result).toEqual(official.result);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs every differential program once more with its listed difference switched off, and counts
 * how many behave identically. The migration guide quotes these counts; this test keeps it true.
 */
describe('the differential count', () => {
  let api: CannedApi;
  beforeAll(async () => {
    api = await startCannedApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('every program is identical or differs only as listed, and the guide quotes the counts', async () => {
    const identical: string[] = [];
    const listed: string[] = [];
    const unlisted: string[] = [];
    for (const testCase of allCases) {
      const { difference, ...plain } = testCase;
      const { official, ours } = await runBoth(api, plain);
      if (same(official, ours)) identical.push(testCase.method);
      else if (difference === undefined) unlisted.push(testCase.method);
      else {
        // The listed difference must be exactly what differs: with it applied, the rest is equal.
        difference(official, ours);
        (same(official, ours) ? listed : unlisted).push(testCase.method);
      }
    }
    const methods = new Set(allCases.map((testCase) => testCase.method)).size;
    const summary = `${methods} methods compared, ${allCases.length} programs: ${identical.length} identical, ${listed.length} differ as listed`;
    console.info(`differential count: ${summary}`);
    expect(unlisted).toEqual([]);
    expect(identical.length + listed.length).toBe(allCases.length);
    expect(readFileSync(GUIDE, 'utf8')).toContain(summary);
  });
});
