import { describe, expect, it } from 'vitest';
import { FaultPicker } from '../src/http/faults.js';
import { APPLIED_FAULT_KINDS, createEmulator, FAULT_KINDS, type FaultKind } from '../src/index.js';

type Send = (request: Request) => Promise<Response>;

/** What the caller of one request saw: a status, or how the request failed. */
async function seen(send: Send, request: Request): Promise<string> {
  try {
    const response = await send(request);
    return `${response.status} ${response.headers.get('x-emulator-fault')} ${await response.text()}`;
  } catch (error) {
    return (error as Error).name === 'TimeoutError' ? 'timeout' : 'reset';
  }
}

const EXPECTED_ANSWER: Record<string, RegExp> = {
  'applied-500': /^500 applied-500 .*"internal-server-error"/,
  'applied-502': /^502 applied-502 .*"bad-gateway"/,
  'applied-reset': /^reset$/,
  'applied-timeout': /^timeout$/,
};

describe.each(['http', 'in-process'] as const)('"applied, then failed" faults (%s)', (mode) => {
  it.each(APPLIED_FAULT_KINDS)('%s: the push is stored, then the answer fails', async (kind) => {
    await using emulator = createEmulator({ faults: { rate: 0, delayMs: 60_000 } });
    let base = 'http://emulator.test';
    let send: Send = (r) => emulator.fetch(r);
    if (mode === 'http') {
      base = (await emulator.listen()).url;
      send = (r) => fetch(r);
    }
    const created = await send(new Request(`${base}/v2/datasets?name=applied`, { method: 'POST' }));
    const { data } = (await created.json()) as { data: { id: string } };
    const push = new Request(`${base}/v2/datasets/${data.id}/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-emulator-fault': kind },
      body: JSON.stringify([{ n: 1 }, { n: 2 }]),
      // Only the timeout kind holds its answer; the others fail at once.
      signal: AbortSignal.timeout(kind === 'applied-timeout' ? 300 : 30_000),
    });
    expect(await seen(send, push)).toMatch(EXPECTED_ANSWER[kind] as RegExp);
    const items = await send(new Request(`${base}/v2/datasets/${data.id}/items`));
    expect(await items.json()).toEqual([{ n: 1 }, { n: 2 }]);
  });
});

describe('choosing "applied, then failed" faults', () => {
  it('they are drawn only when listed in kinds; the default kinds apply nothing', () => {
    expect(APPLIED_FAULT_KINDS).toEqual(['applied-500', 'applied-502', 'applied-reset', 'applied-timeout']);
    const byDefault = new FaultPicker({ rate: 1, seed: 5 });
    const drawn = new Set(Array.from({ length: 1000 }, () => byDefault.pick(null)));
    expect([...drawn].sort()).toEqual([...FAULT_KINDS].sort());
    const listed = new FaultPicker({ rate: 1, seed: 5, kinds: ['applied-502', 'applied-reset'] });
    const picked = new Set(Array.from({ length: 1000 }, () => listed.pick(null)));
    expect([...picked].sort()).toEqual(['applied-502', 'applied-reset']);
  });

  it('an unknown kind is refused with a message that lists every kind', () => {
    expect(() => createEmulator({ faults: { rate: 0.1, kinds: ['applied-404' as FaultKind] } })).toThrow(
      "faults.kinds has an unknown kind 'applied-404'",
    );
  });
});
