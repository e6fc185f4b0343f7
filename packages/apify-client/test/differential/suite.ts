import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CannedApi, startCannedApi } from './canned-api.js';
import { type DifferentialCase, runBoth } from './harness.js';

/** One test per case: the requests both clients sent and the typed results must be equal. */
export function differentialSuite(family: string, cases: readonly DifferentialCase[]): void {
  describe(`${family}: the official client and ours send and return the same`, () => {
    let api: CannedApi;
    beforeAll(async () => {
      api = await startCannedApi();
    });
    afterAll(async () => {
      await api.close();
    });

    it.each(cases.map((testCase) => [testCase.method, testCase] as const))(
      '%s',
      async (_method, testCase) => {
        const { official, ours } = await runBoth(api, testCase);
        expect(official.requests.length).toBeGreaterThan(0);
        expect(ours.requests).toEqual(official.requests);
        expect(ours.result).toEqual(official.result);
        // The official client printed nothing (its WARN lines are captured, never printed).
        expect(official.logged).toEqual([]);
      },
    );
  });
}
