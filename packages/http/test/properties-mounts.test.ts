import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Client, MockTransport, Mounts, Request, Response, UnsupportedProtocol } from '../src/index.js';

const SEED = 0x3047;
const run = (numRuns: number) => ({ seed: SEED, numRuns });

// Patterns and URLs are drawn from small overlapping vocabularies so that several patterns
// usually match one URL and the priority rules decide.
const patternScheme = fc.constantFrom('all', 'http', 'https', 'HTTPS');
const patternHost = fc.constantFrom(
  '',
  '*',
  'example.com',
  'Example.COM',
  '*example.com',
  '*.example.com',
  'a.example.com',
  '*.a.example.com',
  'other.org',
  '*.org',
  '127.0.0.1',
  '[::1]',
);
const patternPort = fc.constantFrom(null, 80, 443, 8080);
interface PatternParts {
  scheme: string;
  host: string;
  port: number | null;
}
const pattern = fc
  .record({ scheme: patternScheme, host: patternHost, port: patternPort, slash: fc.boolean() })
  .map(({ scheme, host, port, slash }) => ({
    key: `${scheme}://${host}${port === null ? '' : `:${port}`}${slash ? '/' : ''}`,
    parts: { scheme, host, port } satisfies PatternParts,
  }));
const patterns = fc.uniqueArray(pattern, { maxLength: 7, selector: (p) => p.key });
const url = fc
  .tuple(
    fc.constantFrom('http', 'https'),
    fc.constantFrom(
      'example.com',
      'a.example.com',
      'b.a.example.com',
      'xexample.com',
      'other.org',
      'x.other.org',
      '127.0.0.1',
      '[::1]',
    ),
    fc.constantFrom('', ':80', ':443', ':8080', ':9'),
  )
  .map(([scheme, host, port]) => new URL(`${scheme}://${host}${port}/path`));

const DEFAULT_PORT: Record<string, number> = { http: 80, https: 443 };

// The oracle, written from the documented rules (HTTPX URLPattern): `all` is any scheme; an empty
// host or `*` any host; `*.d` strict subdomains of d; `*d` d and its subdomains; a port matches the
// URL's effective port (a scheme's default port, written out, matches only that port).
function oracleMatches({ scheme, host, port }: PatternParts, target: URL): boolean {
  const s = scheme.toLowerCase();
  const h = host.toLowerCase();
  const targetScheme = target.protocol.slice(0, -1);
  const targetHost = target.hostname;
  const targetPort = target.port === '' ? DEFAULT_PORT[targetScheme] : Number(target.port);
  if (s !== 'all' && s !== targetScheme) return false;
  if (h.startsWith('*.')) {
    if (!(targetHost.endsWith(h.slice(1)) && targetHost.length > h.length - 1)) return false;
  } else if (h.startsWith('*') && h !== '*') {
    if (targetHost !== h.slice(1) && !targetHost.endsWith(`.${h.slice(1)}`)) return false;
  } else if (h !== '' && h !== '*' && targetHost !== h) return false;
  return port === null || port === targetPort;
}

/** Priority: a given port first, then the longer host, then the longer scheme (`all` and `*` count as empty). */
function oracleRank({ scheme, host, port }: PatternParts): [number, number, number] {
  const s = scheme.toLowerCase();
  const givenPort = port !== null;
  return [givenPort ? 0 : 1, -(host === '*' ? 0 : host.length), -(s === 'all' ? 0 : s.length)];
}

/** Index of the pattern that must win: best rank among the matches, ties to the earliest key. */
function oracleChoice(parts: PatternParts[], target: URL): number {
  let best = -1;
  for (let i = 0; i < parts.length; i++) {
    if (!oracleMatches(parts[i] as PatternParts, target)) continue;
    if (best === -1) {
      best = i;
      continue;
    }
    const a = oracleRank(parts[i] as PatternParts);
    const b = oracleRank(parts[best] as PatternParts);
    const cmp = a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
    if (cmp < 0) best = i;
  }
  return best;
}

const tagged = (tag: string) => new MockTransport(() => new Response(200, { text: tag }));

describe('mount routing (property-based)', () => {
  it('Mounts picks what a brute-force oracle picks, or raises UnsupportedProtocol when nothing matches', async () => {
    await fc.assert(
      fc.asyncProperty(patterns, url, async (list, target) => {
        const mounts = new Mounts(Object.fromEntries(list.map((p) => [p.key, tagged(p.key)])));
        const expected = oracleChoice(
          list.map((p) => p.parts),
          target,
        );
        const sent = mounts.handleRequest(new Request('GET', target));
        if (expected === -1) await expect(sent).rejects.toThrow(UnsupportedProtocol);
        else expect((await sent).text).toBe(list[expected]?.key);
      }),
      run(600),
    );
  });

  it("a Client routes each URL to the oracle's mount, else to its own transport", () => {
    fc.assert(
      fc.property(patterns, fc.array(url, { minLength: 1, maxLength: 5 }), (list, targets) => {
        const transports = list.map((p) => tagged(p.key));
        const fallback = tagged('fallback');
        const client = new Client({
          transport: fallback,
          mounts: Object.fromEntries(list.map((p, i) => [p.key, transports[i] ?? null])),
        });
        for (const target of targets) {
          const expected = oracleChoice(
            list.map((p) => p.parts),
            target,
          );
          expect(client.transportFor(target)).toBe(expected === -1 ? fallback : transports[expected]);
        }
      }),
      run(300),
    );
  });

  it('a null mount sends matching URLs to the default transport, shadowing less specific mounts', () => {
    fc.assert(
      fc.property(patterns, fc.nat(), url, (list, pick, target) => {
        fc.pre(list.length > 0);
        const nulled = pick % list.length;
        const transports = list.map((p, i) => (i === nulled ? null : tagged(p.key)));
        const fallback = tagged('fallback');
        const client = new Client({
          transport: fallback,
          mounts: Object.fromEntries(list.map((p, i) => [p.key, transports[i] ?? null])),
        });
        const expected = oracleChoice(
          list.map((p) => p.parts),
          target,
        );
        expect(client.transportFor(target)).toBe(
          expected === -1 ? fallback : (transports[expected] ?? fallback),
        );
      }),
      run(300),
    );
  });
});
