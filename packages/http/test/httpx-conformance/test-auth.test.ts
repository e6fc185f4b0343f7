// HTTPX tests/test_auth.py (0.28): auth flows driven by hand, one step at a time.
import { describe, expect, it } from 'vitest';
import { BasicAuth, Client, DigestAuth, MockTransport, Request, Response } from '../../src/index.js';

const cnonce = () => 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ';
const challenge = (value: string, request: Request) =>
  new Response(401, { content: 'Auth required', headers: { 'WWW-Authenticate': value }, request });
const field = (header: string, name: string) => new RegExp(`${name}=("?)([^",]*)\\1`).exec(header)?.[2];

async function firstStep(auth: BasicAuth | DigestAuth, url = 'https://www.example.com') {
  const flow = auth.authFlow(new Request('GET', url));
  const step = await flow.next();
  return { flow, request: step.value as Request };
}

describe('HTTPX tests/test_auth.py', () => {
  it('test_basic_auth', async () => {
    const { flow, request } = await firstStep(new BasicAuth('user', 'pass'));
    expect(request.headers.get('Authorization')).toBe('Basic dXNlcjpwYXNz');
    expect((await flow.next(new Response(200, { content: 'Hello, world!' }))).done).toBe(true);
  });

  it('test_digest_auth_with_200', async () => {
    const { flow, request } = await firstStep(new DigestAuth('user', 'pass'));
    expect(request.headers.has('Authorization')).toBe(false);
    expect((await flow.next(new Response(200, { content: 'Hello, world!' }))).done).toBe(true);
  });

  it('test_digest_auth_with_401', async () => {
    const { flow, request } = await firstStep(new DigestAuth('user', 'pass'));
    const retry = await flow.next(
      challenge('Digest realm="...", qop="auth", nonce="...", opaque="..."', request),
    );
    expect((retry.value as Request).headers.get('Authorization')?.startsWith('Digest ')).toBe(true);
    expect((await flow.next(new Response(200, { content: 'Hello, world!' }))).done).toBe(true);
  });

  it('test_digest_auth_with_401_nonce_counting', async () => {
    const auth = new DigestAuth('user', 'pass');
    const { flow, request } = await firstStep(auth);
    const first = (
      await flow.next(challenge('Digest realm="...", qop="auth", nonce="...", opaque="..."', request))
    ).value as Request;
    const firstHeader = first.headers.get('Authorization') as string;
    // The next request authenticates up front, with the nonce count one higher.
    const second = (await firstStep(auth)).request.headers.get('Authorization') as string;
    expect(second.startsWith('Digest ')).toBe(true);
    expect(Number.parseInt(field(second, 'nc') as string, 16)).toBe(
      Number.parseInt(field(firstHeader, 'nc') as string, 16) + 1,
    );
  });

  it('test_digest_auth_setting_cookie_in_request', async () => {
    const url = 'https://www.example.com/auth';
    await using client = new Client({
      transport: new MockTransport(
        () =>
          new Response(401, {
            content: 'Auth required',
            headers: {
              'Set-Cookie': 'session=.session_value...',
              'WWW-Authenticate': 'Digest realm="...", qop="auth", nonce="...", opaque="..."',
            },
          }),
      ),
    });
    const auth = new DigestAuth('user', 'pass');
    const flow = auth.authFlow(client.buildRequest('GET', url));
    const first = (await flow.next()).value as Request;
    expect(first.headers.has('Authorization')).toBe(false);
    const response = await client.get(url);
    expect(response.cookies.get('session')).toBe('.session_value...');
    const retry = (await flow.next(response)).value as Request;
    expect(retry.headers.get('Authorization')?.startsWith('Digest ')).toBe(true);
    expect(retry.headers.get('Cookie')).toBe('session=.session_value...');
    expect((await flow.next(new Response(200, { content: 'Hello, world!', request: retry }))).done).toBe(
      true,
    );
  });

  it('test_digest_auth_rfc_2069', async () => {
    const { flow, request } = await firstStep(
      new DigestAuth('Mufasa', 'CircleOfLife'),
      'https://www.example.com/dir/index.html',
    );
    const header = (
      (
        await flow.next(
          challenge(
            'Digest realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
            request,
          ),
        )
      ).value as Request
    ).headers.get('Authorization') as string;
    for (const part of [
      'username="Mufasa"',
      'realm="testrealm@host.com"',
      'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093"',
      'uri="/dir/index.html"',
      'opaque="5ccc069c403ebaf9f0171e9517f40e41"',
      'response="1949323746fe6a43ef61f9606e7febea"',
    ]) {
      expect(header).toContain(part);
    }
  });

  for (const [algorithm, digest] of [
    ['MD5', '8ca523f5e9506fed4657c9700eebdbec'],
    ['SHA-256', '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1'],
  ]) {
    it(`test_digest_auth_rfc_7616_${algorithm === 'MD5' ? 'md5' : 'sha_256'}`, async () => {
      const { flow, request } = await firstStep(
        new DigestAuth('Mufasa', 'Circle of Life', { cnonce }),
        'https://www.example.com/dir/index.html',
      );
      const header = (
        (
          await flow.next(
            challenge(
              `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${algorithm}, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`,
              request,
            ),
          )
        ).value as Request
      ).headers.get('Authorization') as string;
      for (const part of [
        'username="Mufasa"',
        'realm="http-auth@example.org"',
        'uri="/dir/index.html"',
        `algorithm=${algorithm}`,
        'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"',
        'nc=00000001',
        `cnonce="${cnonce()}"`,
        'qop=auth',
        'opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
        `response="${digest}"`,
      ]) {
        expect(header).toContain(part);
      }
    });
  }
});
