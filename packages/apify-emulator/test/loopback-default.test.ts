import { once } from 'node:events';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../src/index.js';

describe('the emulator is local by default', () => {
  it('listens on 127.0.0.1 only: another address of the same host is refused', async () => {
    await using emulator = createEmulator();
    const { url } = await emulator.listen();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const port = Number(new URL(url).port);

    const local = net.connect(port, '127.0.0.1');
    await once(local, 'connect');
    local.destroy();

    // All of 127/8 is loopback on Linux: a server bound to 0.0.0.0 would accept on 127.0.0.2 too.
    const other = net.connect(port, '127.0.0.2');
    const [error] = (await once(other, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ECONNREFUSED');
  });
});
