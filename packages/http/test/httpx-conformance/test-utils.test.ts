// HTTPX tests/test_utils.py (0.28): URLPattern matching and priority, the part of _utils we share.
import { describe, expect, it } from 'vitest';
import { URLPattern } from '../../src/transports/mounts.js';

describe('HTTPX tests/test_utils.py', () => {
  const cases: Array<[string, string, boolean]> = [
    ['http://example.com', 'http://example.com', true],
    ['http://example.com', 'https://example.com', false],
    ['http://example.com', 'http://other.com', false],
    ['http://example.com:123', 'http://example.com:123', true],
    ['http://example.com:123', 'http://example.com:456', false],
    ['http://example.com:123', 'http://example.com', false],
    ['all://example.com', 'http://example.com', true],
    ['all://example.com', 'https://example.com', true],
    ['http://', 'http://example.com', true],
    ['http://', 'https://example.com', false],
    ['all://', 'https://example.com:123', true],
    ['', 'https://example.com:123', true],
    ['all://*', 'http://example.com', true],
    ['all://*.example.com', 'http://www.example.com', true],
    ['all://*.example.com', 'http://example.com', false],
    ['all://*example.com', 'http://www.example.com', true],
    ['all://*example.com', 'http://example.com', true],
    ['all://*example.com', 'http://notexample.com', false],
    ['all://*:123', 'http://example.com:123', true],
    ['all://*:123', 'http://example.com:456', false],
    ['all://[::1]', 'http://[::1]:8080/', true],
  ];
  for (const [pattern, url, expected] of cases) {
    it(`test_url_matches[${pattern || "''"}-${url}]`, () => {
      expect(new URLPattern(pattern).matches(new URL(url))).toBe(expected);
    });
  }

  it('test_pattern_priority', () => {
    const patterns = [
      'all://',
      'http://',
      'all://example.com',
      'all://example.com:123',
      'http://example.com:123',
    ];
    const sorted = patterns.map((p) => new URLPattern(p)).sort((a, b) => a.compare(b));
    expect(sorted.map((p) => p.pattern)).toEqual([
      'http://example.com:123',
      'all://example.com:123',
      'all://example.com',
      'http://',
      'all://',
    ]);
  });

  it('a default port written out matches only that port (on purpose: HTTPX drops it and matches any, issue 12)', () => {
    const pattern = new URLPattern('http://example.com:80');
    expect(pattern.matches(new URL('http://example.com/'))).toBe(true);
    expect(pattern.matches(new URL('http://example.com:80/'))).toBe(true);
    expect(pattern.matches(new URL('http://example.com:8080/'))).toBe(false);
  });
});
