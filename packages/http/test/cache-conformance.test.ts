import { describe, expect, it } from 'vitest';
import { cases } from './cache-tests/cases.js';
import { CacheHarness, kindOf, type Outcome } from './support/cache-harness.js';

describe('CacheTransport against the cases of the HTTP caching test suite', () => {
  it('has each case id once', () => {
    const ids = cases.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, testCase) => {
    await using harness = await CacheHarness.start(testCase.shared ? { shared: true } : {});
    for (const [index, step] of testCase.steps.entries()) {
      const where = `step ${index + 1}`;
      let outcome: Outcome | null = null;
      try {
        outcome = await harness.send(step);
      } catch (error) {
        // An origin that drops the connection, with nothing stored to fall back on, is the caller's error.
        if (!step.disconnect) throw error;
        expect(step.expect, where).toBe('not_cached');
        continue;
      }
      if (step.expect !== undefined) expect(kindOf(outcome), where).toBe(step.expect);
      if (step.expectStatus !== undefined) expect(outcome.response.statusCode, where).toBe(step.expectStatus);
      for (const [name, value] of step.expectHeaders ?? [])
        expect(outcome.response.headers.get(name), where).toBe(value);
      for (const name of step.expectMissing ?? [])
        expect(outcome.response.headers.has(name), where).toBe(false);
      for (const [name, value] of step.expectRequestHeaders ?? [])
        expect(outcome.hit?.headers[name], where).toBe(value);
      for (const name of step.expectRequestMissing ?? [])
        expect(outcome.hit?.headers[name], where).toBeUndefined();
    }
  });
});
