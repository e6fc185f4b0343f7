import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shouldBypassProxy } from '../src/index.js';

const SEED = 0x0909;
const run = (numRuns: number) => ({ seed: SEED, numRuns });

const V4_BITS = 32;
const V6_BITS = 128;

const v4Text = (n: bigint) => [24n, 16n, 8n, 0n].map((shift) => ((n >> shift) & 255n).toString()).join('.');
const v6Full = (n: bigint) =>
  Array.from({ length: 8 }, (_, i) => ((n >> BigInt(112 - 16 * i)) & 0xffffn).toString(16)).join(':');
/** Full, upper-case or WHATWG-compressed spelling: the match must not depend on the notation. */
const v6Spelling = (n: bigint, style: number) => {
  if (style === 0) return v6Full(n);
  if (style === 1) return v6Full(n).toUpperCase();
  return new URL(`http://[${v6Full(n)}]/`).hostname.slice(1, -1);
};

/** Whether two addresses share their first `prefix` bits: the CIDR rule by integer arithmetic. */
const samePrefix = (a: bigint, b: bigint, prefix: number, bits: number) =>
  prefix === 0 || a >> BigInt(bits - prefix) === b >> BigInt(bits - prefix);

/** A network, a prefix length, and an address that is inside the network about half the time. */
function cidrCase(bits: number) {
  const max = (1n << BigInt(bits)) - 1n;
  return fc
    .record({
      network: fc.bigInt({ min: 0n, max }),
      prefix: fc.integer({ min: 0, max: bits }),
      noise: fc.bigInt({ min: 0n, max }),
      inside: fc.boolean(),
      // Flip one bit just above or at the boundary to probe off-by-one errors.
      flipAt: fc.option(fc.integer({ min: 0, max: bits - 1 }), { nil: undefined }),
    })
    .map(({ network, prefix, noise, inside, flipAt }) => {
      const hostMask = prefix === bits ? 0n : (1n << BigInt(bits - prefix)) - 1n;
      let address = inside ? (network & ~hostMask & max) | (noise & hostMask) : noise;
      if (flipAt !== undefined) address ^= 1n << BigInt(flipAt);
      return { network, prefix, address };
    });
}

describe('NO_PROXY matching (property-based)', () => {
  it('IPv4 CIDR ranges match exactly the addresses that share the prefix', () => {
    fc.assert(
      fc.property(cidrCase(V4_BITS), fc.constantFrom('', ':8080'), ({ network, prefix, address }, port) => {
        const expected = samePrefix(address, network, prefix, V4_BITS);
        expect(shouldBypassProxy(`http://${v4Text(address)}${port}/`, `${v4Text(network)}/${prefix}`)).toBe(
          expected,
        );
      }),
      run(1000),
    );
  });

  it('IPv6 CIDR ranges match exactly the addresses that share the prefix, in any notation', () => {
    fc.assert(
      fc.property(
        cidrCase(V6_BITS),
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 2 }),
        ({ network, prefix, address }, hostStyle, entryStyle) => {
          const expected = samePrefix(address, network, prefix, V6_BITS);
          const url = `https://[${v6Spelling(address, hostStyle)}]:8443/`;
          expect(shouldBypassProxy(url, `${v6Spelling(network, entryStyle)}/${prefix}`)).toBe(expected);
        },
      ),
      run(1000),
    );
  });

  it('an address never matches a range or literal of the other family', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }),
        fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }),
        fc.integer({ min: 0, max: 32 }),
        (v4, v6, prefix) => {
          expect(shouldBypassProxy(`http://${v4Text(v4)}/`, `${v6Full(v6)}/${prefix}`)).toBe(false);
          expect(shouldBypassProxy(`http://[${v6Full(v6)}]/`, `${v4Text(v4)}/${prefix}`)).toBe(false);
          expect(shouldBypassProxy(`http://${v4Text(v4)}/`, v6Full(v6))).toBe(false);
        },
      ),
      run(300),
    );
  });

  // Hosts and entries drawn from one vocabulary, so suffix relations (a.example.com under
  // example.com, but not xexample.com) come up constantly.
  const HOSTS = [
    'example.com',
    'a.example.com',
    'b.a.example.com',
    'xexample.com',
    'example.org',
    'localhost',
  ];
  const ADDRESSES = ['127.0.0.1', '10.0.0.7', '[::1]', '[2001:db8::7]'];
  const DEFAULT_PORT: Record<string, string> = { 'http:': '80', 'https:': '443' };

  type Entry =
    | { kind: 'star' }
    | { kind: 'host'; host: string; lead: '' | '.' | '*.'; port: string | null }
    | { kind: 'address'; address: string; port: string | null };

  const entry: fc.Arbitrary<Entry> = fc.oneof(
    { weight: 1, arbitrary: fc.constant({ kind: 'star' } as const) },
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant('host' as const),
        host: fc.constantFrom(...HOSTS),
        lead: fc.constantFrom('' as const, '.' as const, '*.' as const),
        port: fc.constantFrom(null, '80', '443', '8080'),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('address' as const),
        address: fc.constantFrom(...ADDRESSES, '0:0:0:0:0:0:0:1', '2001:DB8:0::7'),
        port: fc.constantFrom(null, '80', '8080'),
      }),
    },
  );

  /** As written in NO_PROXY: random case, spaces around, bracketed IPv6 when a port follows. */
  const spelled = (e: Entry, upper: boolean, pad: string): string => {
    let text: string;
    if (e.kind === 'star') text = '*';
    else if (e.kind === 'host') text = `${e.lead}${e.host}${e.port === null ? '' : `:${e.port}`}`;
    else {
      const bare = e.address.replace(/^\[|\]$/g, '');
      const v6 = bare.includes(':');
      text = e.port === null ? bare : `${v6 ? `[${bare}]` : bare}:${e.port}`;
    }
    return `${pad}${upper ? text.toUpperCase() : text}${pad}`;
  };

  const canonicalAddress = (text: string) =>
    new URL(`http://${text.includes(':') ? `[${text.replace(/^\[|\]$/g, '')}]` : text}/`).hostname;

  // The documented rules: `*` matches all; `host` the host and its subdomains; `.domain` and
  // `*.domain` subdomains only; `:port` also needs the URL's effective port; IP literals match the
  // same address however it is spelled.
  function oracle(e: Entry, url: URL): boolean {
    if (e.kind === 'star') return true;
    const port = url.port === '' ? DEFAULT_PORT[url.protocol] : url.port;
    if (e.port !== null && e.port !== port) return false;
    if (e.kind === 'address') return canonicalAddress(e.address) === url.hostname;
    const host = url.hostname;
    if (e.lead === '') return host === e.host || host.endsWith(`.${e.host}`);
    return host.endsWith(`.${e.host}`);
  }

  const target = fc
    .tuple(
      fc.constantFrom('http', 'https'),
      fc.constantFrom(...HOSTS, ...ADDRESSES),
      fc.constantFrom('', ':80', ':443', ':8080'),
    )
    .map(([scheme, host, port]) => new URL(`${scheme}://${host}${port}/x`));

  it('hosts, .domain, *.domain, host:port, IP literals and * match as documented; a list is any-of', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(entry, fc.boolean(), fc.constantFrom('', ' ', '  ')), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.constantFrom(',', ', ', ',,'),
        target,
        (entries, separator, url) => {
          const noProxy = entries.map(([e, upper, pad]) => spelled(e, upper, pad)).join(separator);
          const expected = entries.some(([e]) => oracle(e, url));
          expect(shouldBypassProxy(url, noProxy)).toBe(expected);
          expect(shouldBypassProxy(url.href, noProxy)).toBe(expected);
        },
      ),
      run(1000),
    );
  });

  it('an empty or blank NO_PROXY bypasses nothing', () => {
    fc.assert(
      fc.property(target, fc.constantFrom('', ' ', ',', ' , ,'), (url, noProxy) => {
        expect(shouldBypassProxy(url, noProxy)).toBe(false);
      }),
      run(50),
    );
  });
});
