// HTTPX tests/test_config.py (0.28): Timeout, Limits and Proxy. Durations are milliseconds here.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  Client,
  DEFAULT_LIMITS,
  Proxy as HTTPProxy,
  HTTPTransport,
  Limits,
  Timeout,
  UsageError,
} from '../../src/index.js';

const parts = (t: Timeout) => [t.connect, t.read, t.write, t.pool];

describe('HTTPX tests/test_config.py', () => {
  it('test_timeout_from_none', () => {
    expect(parts(new Timeout(null))).toEqual([null, null, null, null]);
  });

  it('test_timeout_from_one_none_value', () => {
    expect(parts(new Timeout(null, { read: null }))).toEqual([null, null, null, null]);
  });

  it('test_timeout_from_one_value', () => {
    expect(parts(new Timeout(null, { read: 5000 }))).toEqual([null, 5000, null, null]);
  });

  it('test_timeout_from_one_value_and_default', () => {
    expect(parts(new Timeout(5000, { pool: 60000 }))).toEqual([5000, 5000, 5000, 60000]);
  });

  it('test_timeout_from_config_instance', () => {
    const timeout = new Timeout(5000);
    expect(parts(new Timeout(timeout))).toEqual(parts(timeout));
  });

  it('test_timeout_repr', () => {
    expect(inspect(new Timeout(5000))).toBe('Timeout(timeout=5000)');
    expect(inspect(new Timeout(null, { read: 5000 }))).toBe(
      'Timeout(connect=null, read=5000, write=null, pool=null, total=null)',
    );
  });

  it('test_limits_repr', () => {
    expect(inspect(new Limits({ maxConnections: 100 }))).toBe(
      'Limits(maxConnections=100, maxKeepaliveConnections=null, keepaliveExpiry=5000)',
    );
  });

  it('test_limits_eq (equal fields, equal limits)', () => {
    expect(new Limits({ maxConnections: 100 })).toEqual(new Limits({ maxConnections: 100 }));
  });

  it('an explicit Limits leaves unset fields unlimited; only the default has 100 / 20 (issue 12)', () => {
    const limits = new Limits({ maxConnections: 100 });
    expect([limits.maxConnections, limits.maxKeepaliveConnections, limits.keepaliveExpiry]).toEqual([
      100,
      null,
      5000,
    ]);
    expect([DEFAULT_LIMITS.maxConnections, DEFAULT_LIMITS.maxKeepaliveConnections]).toEqual([100, 20]);
    expect(new HTTPTransport().limits).toBe(DEFAULT_LIMITS);
    expect(new HTTPTransport({ limits }).limits.maxKeepaliveConnections).toBeNull();
  });

  it('test_proxy_from_url', () => {
    const proxy = new HTTPProxy('https://example.com');
    expect(proxy.url.href).toBe('https://example.com/');
    expect(proxy.auth).toBeNull();
    expect(proxy.headers).toEqual({});
    expect(String(proxy)).toBe("Proxy('https://example.com')");
  });

  it('test_proxy_with_auth_from_url', () => {
    const proxy = new HTTPProxy('https://username:password@example.com');
    expect(proxy.url.href).toBe('https://example.com/');
    expect(proxy.auth).toEqual(['username', 'password']);
    expect(String(proxy)).toBe("Proxy('https://example.com', auth=['username', '[secure]'])");
  });

  it('test_invalid_proxy_scheme', () => {
    expect(() => new HTTPProxy('invalid://example.com')).toThrow(UsageError);
  });

  it('a timeout that is not a duration is a UsageError naming it, not a silent 5 s (issue 12)', async () => {
    expect(() => new Timeout('abc' as unknown as number)).toThrow(
      'Invalid timeout: expected milliseconds, null, a Timeout or { connect, read, write, pool, total }, got "abc"',
    );
    expect(() => new Client({ timeout: 'abc' as unknown as number })).toThrow(UsageError);
    await using client = new Client({ trustEnv: false });
    await expect(client.get('http://127.0.0.1:9/', { timeout: 'abc' as unknown as number })).rejects.toThrow(
      'got "abc"',
    );
  });
});
