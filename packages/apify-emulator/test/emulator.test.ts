import { describe, expect, it } from 'vitest';
import { createEmulator, type EmulatorError } from '../src/index.js';

describe('emulator lifecycle', () => {
  it('rejects bad options early with EmulatorError naming the value', () => {
    const bad = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return [(error as EmulatorError).name, (error as EmulatorError).code, (error as Error).message];
      }
      return null;
    };
    expect(bad(() => createEmulator({ faults: { rate: 1.5 } }))).toEqual([
      'EmulatorError',
      'invalid-option',
      'faults.rate must be between 0 and 1, got 1.5',
    ]);
    expect(bad(() => createEmulator({ faults: { rate: 0.1, kinds: ['boom' as never] } }))).toEqual([
      'EmulatorError',
      'invalid-option',
      "faults.kinds has an unknown kind 'boom'",
    ]);
    expect(bad(() => createEmulator({ maxPayloadBytes: -1 }))).toEqual([
      'EmulatorError',
      'invalid-option',
      'maxPayloadBytes must be a non-negative number, got -1',
    ]);
    const emulator = createEmulator();
    expect(bad(() => emulator.registerActor('bad name!', () => undefined))?.slice(0, 2)).toEqual([
      'EmulatorError',
      'invalid-argument',
    ]);
  });

  it('await using closes the servers; close() is idempotent and later calls fail cleanly', async () => {
    let url = '';
    let closed: ReturnType<typeof createEmulator> | null = null;
    {
      await using emulator = createEmulator();
      ({ url } = await emulator.listen());
      expect((await fetch(`${url}/v2/users/me`)).status).toBe(200);
      closed = emulator;
    }
    const refused = await fetch(`${url}/v2/users/me`).catch(
      (e: Error) => (e.cause as NodeJS.ErrnoException).code,
    );
    expect(refused).toBe('ECONNREFUSED');
    await closed.close();
    const after = await closed.fetch(new Request('http://emulator.test/v2/users/me'));
    expect(after.status).toBe(503);
    expect(await after.json()).toEqual({
      error: { type: 'service-unavailable', message: 'The emulator is closed' },
    });
    await expect(closed.listen()).rejects.toThrow('The emulator is closed');
  });

  it('serves several listeners at once, sharing one state', async () => {
    await using emulator = createEmulator();
    const a = await emulator.listen();
    const b = await emulator.listen({ host: '127.0.0.1', port: 0 });
    expect(a.url).not.toBe(b.url);
    const created = await fetch(`${a.url}/v2/key-value-stores?name=shared`, { method: 'POST' });
    const { id } = ((await created.json()) as { data: { id: string } }).data;
    expect((await fetch(`${b.url}/v2/key-value-stores/${id}`)).status).toBe(200);
  });
});
