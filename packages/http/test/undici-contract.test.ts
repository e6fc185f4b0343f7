import diagnostics from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Socket } from 'node:net';
import { ProxyAgent, Socks5ProxyAgent, request as undiciRequest } from 'undici';
import { describe, expect, it } from 'vitest';
import { captureSocks5Warning } from './support/process-warnings.js';
import { startProxy } from './support/proxies.js';
import { httpServer } from './support/servers.js';

// What @pluggable/http relies on in undici beyond its documented API. Each test fails loudly when
// an undici upgrade changes it, so the upgrade is a decision, not a surprise.

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>;
};
const installed = (createRequire(import.meta.url)('undici/package.json') as { version: string }).version;

captureSocks5Warning();

describe('undici contract', () => {
  it('the undici range is pinned to one minor version, and the installed undici is in it', () => {
    const range = manifest.dependencies.undici as string;
    expect(range).toMatch(/^~7\.\d+\.\d+$/);
    const [major, minor] = range.slice(1).split('.');
    expect(installed.split('.').slice(0, 2)).toEqual([major, minor]);
  });

  it('Socks5ProxyAgent still opens its proxy connection through createSocks5Connection(host, port)', () => {
    // socks5:// resolves names locally by overriding this method (undocumented) with an address.
    const method = (Socks5ProxyAgent.prototype as unknown as Record<string, unknown>).createSocks5Connection;
    expect(typeof method).toBe('function');
    expect((method as (...args: unknown[]) => unknown).length).toBe(2);
  });

  it('a refused CONNECT tunnel reports the proxy status only in its message (UND_ERR_ABORTED)', async () => {
    // ProxyError's status comes from this message; undici exposes no status code for it.
    await using proxy = await startProxy(['user', 'secret']);
    await using target = await httpServer((_req, res) => res.end('ok'));
    const agent = new ProxyAgent({ uri: proxy.url, proxyTunnel: true });
    try {
      const error = (await undiciRequest(target.url, { dispatcher: agent }).catch((e: unknown) => e)) as {
        code?: string;
        message?: string;
      };
      expect(error.code).toBe('UND_ERR_ABORTED');
      expect(error.message).toBe('Proxy response (407) !== 200 when HTTP Tunneling');
    } finally {
      await agent.destroy();
    }
  });

  it("announces each CONNECT tunnel on the 'undici:proxy:connected' channel, with its proxy socket", async () => {
    // Tunnels not announced yet are the ones an abort or close() may destroy.
    await using proxy = await startProxy();
    await using target = await httpServer((_req, res) => res.end('ok'));
    const announced: unknown[] = [];
    const onConnected = (message: unknown) => void announced.push((message as { socket: unknown }).socket);
    diagnostics.subscribe('undici:proxy:connected', onConnected);
    const agent = new ProxyAgent({ uri: proxy.url, proxyTunnel: true });
    try {
      const response = await undiciRequest(target.url, { dispatcher: agent });
      expect(await response.body.text()).toBe('ok');
      expect(announced.length).toBe(1);
      expect(announced[0]).toBeInstanceOf(Socket);
    } finally {
      diagnostics.unsubscribe('undici:proxy:connected', onConnected);
      await agent.destroy();
    }
  });

  it('an Expect header is refused by undici (NotSupportedError), so the transport never passes it on', async () => {
    await using target = await httpServer((_req, res) => res.end('ok'));
    const error = (await undiciRequest(target.url, {
      method: 'POST',
      body: 'x',
      headers: { expect: '100-continue' },
    }).catch((e: unknown) => e)) as { code?: string };
    expect(error.code).toBe('UND_ERR_NOT_SUPPORTED');
  });
});
