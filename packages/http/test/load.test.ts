import { describe, expect, it } from 'vitest';
import { Client, Limits } from '../src/index.js';
import { httpServer } from './support/servers.js';

function activeSockets(): number {
  const resources = (process as unknown as { getActiveResourcesInfo(): string[] }).getActiveResourcesInfo();
  return resources.filter((r) => r === 'TCPSocketWrap' || r === 'TCPWrap').length;
}

describe('load', () => {
  it('serves 10 000 requests with 32 in flight without errors or leaked sockets', async () => {
    await using server = await httpServer((_req, res) => res.end('x'.repeat(1024)));
    const before = activeSockets();
    const client = new Client({ limits: new Limits({ maxConnections: 32, maxKeepaliveConnections: 32 }) });
    let ok = 0;
    const errors: unknown[] = [];
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        for (let i = 0; i < 313; i++) {
          try {
            const response = await client.get(server.url);
            if (response.content.byteLength === 1024) ok++;
          } catch (error) {
            errors.push(error);
          }
        }
      }),
    );
    expect(errors).toEqual([]);
    expect(ok).toBe(32 * 313); // 10 016: at least 10 000, split evenly
    expect(server.sockets.length).toBeLessThanOrEqual(32);
    await client.close();
    // Closing the client destroys its sockets; the server side follows once it sees the FIN.
    await new Promise<void>((resolve) => {
      const check = () =>
        server.sockets.every((s) => s.destroyed || s.readableEnded) ? resolve() : setImmediate(check);
      check();
    });
    // Handles close a few event-loop turns after destroy(); poll (bounded) rather than sleep.
    const deadline = performance.now() + 2000;
    while (activeSockets() > before && performance.now() < deadline) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(activeSockets()).toBeLessThanOrEqual(before);
  }, 60_000);
});
