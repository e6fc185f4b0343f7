import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDigestChallenge } from '../src/auth/digest.js';
import { Client, DigestAuth, ProtocolError } from '../src/index.js';
import { httpServer, type TestServer } from './support/servers.js';

const SEED = 0xd16e;
const run = (numRuns: number) => ({ seed: SEED, numRuns });

// Header text is latin-1 on the wire: visible ASCII (quotes, backslashes, commas and '=' included),
// spaces and a few obs-text characters.
const quotedText = fc.string({
  unit: fc.constantFrom(...'ab Z09"\\,=;:/+@.-_~\t', 'é', 'ÿ'),
  maxLength: 12,
});
const token = fc.string({ unit: fc.constantFrom(...'abcXYZ0189-._~+!'), minLength: 1, maxLength: 10 });
const quote = (value: string) => `"${value.replace(/[\\"]/g, '\\$&')}"`;
const ows = fc.constantFrom('', ' ', '  ', '\t', ' \t');
const nameCase = (name: string) =>
  fc
    .array(fc.boolean(), { minLength: name.length, maxLength: name.length })
    .map((upper) => [...name].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));

interface Challenge {
  realm: string;
  nonce: string;
  algorithm: string | null;
  opaque: string | null;
  qop: string | null;
}
const challenge: fc.Arbitrary<Challenge> = fc.record({
  realm: quotedText,
  nonce: fc.oneof(quotedText, token),
  algorithm: fc.option(fc.constantFrom('MD5', 'md5', 'SHA-256', 'SHA-512-SESS', 'MD5-sess', 'SHA'), {
    nil: null,
  }),
  opaque: fc.option(quotedText, { nil: null }),
  qop: fc.option(fc.constantFrom('auth', 'auth-int', 'auth,auth-int', 'auth-int, auth'), { nil: null }),
});

/** One spelling of a challenge: any order, quoted or token values, name case, spaces, empty list items. */
const spelled = (c: Challenge) => {
  const params: Array<[string, string, boolean]> = [
    ['realm', c.realm, true],
    ['nonce', c.nonce, !/^[a-zA-Z0-9\-._~+!]+$/.test(c.nonce)],
  ];
  if (c.algorithm !== null) params.push(['algorithm', c.algorithm, false]);
  if (c.opaque !== null) params.push(['opaque', c.opaque, true]);
  if (c.qop !== null) params.push(['qop', c.qop, true]);
  params.push(['stale', 'false', false], ['domain', '/a /b', true]);
  return fc
    .tuple(
      fc.shuffledSubarray(params, { minLength: params.length }),
      fc.array(fc.tuple(ows, ows, ows, fc.boolean(), fc.boolean()), {
        minLength: params.length,
        maxLength: params.length,
      }),
      fc.tuple(...params.map(([name]) => nameCase(name))),
      nameCase('Digest'),
      fc.constantFrom(' ', '  '),
    )
    .map(([order, spaces, names, scheme, gap]) => {
      const fields = order.map(([name, value, mustQuote], i) => {
        const [before, aroundEq, after, quoteAnyway, emptyItem] = spaces[i] as [
          string,
          string,
          string,
          boolean,
          boolean,
        ];
        const spelledName = names[params.findIndex(([n]) => n === name)] as string;
        const text = mustQuote || quoteAnyway ? quote(value) : value;
        return `${emptyItem ? ' ,' : ''}${before}${spelledName}${aroundEq}=${aroundEq}${text}${after}`;
      });
      return `${scheme}${gap}${fields.join(',')}`;
    });
};

describe('digest challenge parsing (property-based)', () => {
  it('a well-formed challenge parses to the values it was made from', () => {
    fc.assert(
      fc.property(
        challenge.chain((c) => fc.tuple(fc.constant(c), spelled(c))),
        ([c, header]) => {
          expect(parseDigestChallenge(header)).toEqual({
            realm: c.realm,
            nonce: c.nonce,
            algorithm: c.algorithm ?? 'MD5',
            opaque: c.opaque,
            qop: c.qop,
          });
        },
      ),
      run(600),
    );
  });

  it('garbage is a ProtocolError or a challenge with string realm and nonce, never another error', () => {
    const garbage = fc.oneof(
      // Any code point (fast-check's own 'binary' unit takes seconds to set up).
      fc.string({
        unit: fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
        maxLength: 40,
      }),
      fc
        .array(fc.constantFrom('Digest ', 'realm', 'nonce', '=', '"', '\\', ',', ' ', 'x', 'é', 'qop=auth'), {
          maxLength: 14,
        })
        .map((parts) => parts.join('')),
    );
    fc.assert(
      // Plain checks rather than expect(): cheap enough for a thousand runs.
      fc.property(garbage, (header) => {
        let parsed: ReturnType<typeof parseDigestChallenge>;
        try {
          parsed = parseDigestChallenge(header);
        } catch (error) {
          if (error instanceof ProtocolError) return true;
          throw error;
        }
        // It only parses when it names both a realm and a nonce.
        const lower = header.toLowerCase();
        return (
          typeof parsed.realm === 'string' &&
          typeof parsed.nonce === 'string' &&
          lower.includes('realm') &&
          lower.includes('nonce')
        );
      }),
      run(1000),
    );
  });
});

/** Parses an Authorization: Digest header as RFC 7616 writes it (quoted-strings with escapes). */
function parseAuthorization(header: string): Map<string, string> | null {
  if (!header.startsWith('Digest ')) return null;
  const params = new Map<string, string>();
  const field =
    /\s*([!#$%&'*+\-.^_`|~0-9A-Za-z]+)=(?:"((?:[^"\\]|\\.)*)"|([!#$%&'*+\-.^_`|~0-9A-Za-z]+))\s*(,|$)/y;
  field.lastIndex = 'Digest '.length;
  while (field.lastIndex < header.length) {
    const m = field.exec(header);
    if (m === null) return null;
    params.set(m[1] as string, m[2] === undefined ? (m[3] as string) : m[2].replace(/\\(.)/g, '$1'));
  }
  return params;
}

describe('digest challenges with awkward values, against a verifying loopback server', () => {
  let server: TestServer;
  let current: { challenge: Challenge; header: string; username: string; password: string };
  beforeAll(async () => {
    server = await httpServer((req, res) => {
      const params = parseAuthorization(req.headers.authorization ?? '');
      if (params === null) {
        res.statusCode = 401;
        res.setHeader('WWW-Authenticate', current.header);
        res.end();
        return;
      }
      // Verify as a server would: from the unescaped values (RFC 7616 §3.4.1, MD5 and qop auth).
      const { challenge: c, username, password } = current;
      // Challenge values are hashed as the bytes that came on the wire (latin-1), credentials as UTF-8.
      const h = (text: string | Buffer) => createHash('md5').update(text).digest('hex');
      const latin1 = (text: string) => Buffer.from(text, 'latin1');
      const ha1 = h(Buffer.concat([Buffer.from(username), latin1(`:${c.realm}:`), Buffer.from(password)]));
      const ha2 = h(`GET:${req.url}`);
      const expected = h(latin1(`${ha1}:${c.nonce}:${params.get('nc')}:${params.get('cnonce')}:auth:${ha2}`));
      const ok =
        params.get('username') === username &&
        params.get('realm') === c.realm &&
        params.get('nonce') === c.nonce &&
        params.get('opaque') === (c.opaque ?? undefined) &&
        params.get('response') === expected;
      res.statusCode = ok ? 200 : 403;
      res.end(JSON.stringify(Object.fromEntries(params)));
    });
  });
  afterAll(() => server.close());

  it('regression: a realm with a quote or a non-ASCII byte still verifies', async () => {
    // Found by the property below: the realm was echoed inside "…" unescaped (a '"' ended it early),
    // and hashed as UTF-8 although the server hashes the bytes it sent ('ÿ' is one latin-1 byte).
    for (const realm of ['a"b\\c', 'ÿ', 'caf\xc3\xa9']) {
      const c: Challenge = { realm, nonce: 'n"1', algorithm: 'MD5', opaque: 'o\\"', qop: 'auth' };
      current = {
        challenge: c,
        header: `Digest realm=${quote(realm)}, nonce=${quote(c.nonce)}, opaque=${quote('o\\"')}, qop="auth"`,
        username: 'Mufasa',
        password: 'Circle of Life',
      };
      await using client = new Client({ trustEnv: false, auth: new DigestAuth('Mufasa', 'Circle of Life') });
      const response = await client.get(`${server.url}/dir?x=1`);
      expect(response.statusCode).toBe(200);
      expect(response.json<Record<string, string>>()).toMatchObject({ realm, nonce: 'n"1', opaque: 'o\\"' });
    }
  });

  it('the retry carries realm, nonce, opaque and username back as proper quoted-strings, and verifies', async () => {
    const md5Challenge = challenge.map((c) => ({ ...c, algorithm: 'MD5', qop: 'auth' }));
    const username = fc.string({ unit: fc.constantFrom(...'ab Z"\\,=:'), minLength: 1, maxLength: 8 });
    await fc.assert(
      fc.asyncProperty(
        md5Challenge.chain((c) => fc.tuple(fc.constant(c), spelled(c))),
        username,
        quotedText,
        async ([c, header], user, password) => {
          current = { challenge: c, header, username: user, password };
          await using client = new Client({ trustEnv: false, auth: new DigestAuth(user, password) });
          const response = await client.get(`${server.url}/p?q=1`);
          expect(response.statusCode).toBe(200);
        },
      ),
      run(60),
    );
  });
});
