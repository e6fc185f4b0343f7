import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Client, MockTransport, NetRCAuth, type Request, Response, UsageError } from '../src/index.js';

const EXPECTED = 'Basic ZXhhbXBsZS11c2VybmFtZTpleGFtcGxlLXBhc3N3b3Jk';
const dir = mkdtempSync(join(tmpdir(), 'pluggable-netrc-'));
let counter = 0;
const savedEnv = { NETRC: process.env.NETRC, HOME: process.env.HOME };

function netrcFile(text: string): string {
  const path = join(dir, `netrc-${counter++}`);
  writeFileSync(path, text);
  return path;
}

// Echoes the Authorization header, so a test sees exactly what the client would have sent.
function echoClient(options: { trustEnv?: boolean; auth?: [string, string] } = {}): Client {
  const transport = new MockTransport(
    (request: Request) => new Response(200, { text: request.headers.get('authorization') ?? 'none' }),
  );
  return new Client({ transport, baseUrl: 'http://netrcexample.org', ...options });
}

const EXAMPLE = 'machine netrcexample.org\nlogin example-username\npassword example-password\n';

function restore(name: 'NETRC' | 'HOME'): void {
  const value = savedEnv[name];
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

beforeEach(() => {
  // No test may see the real ~/.netrc of the machine running it.
  process.env.NETRC = join(dir, 'missing');
});

afterEach(() => {
  restore('NETRC');
  restore('HOME');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('NetRCAuth', () => {
  it('reads $NETRC and sends Basic credentials for the matching machine', async () => {
    process.env.NETRC = netrcFile(EXAMPLE);
    await using client = echoClient({ trustEnv: false });
    const response = await client.get('/', { auth: new NetRCAuth() });
    expect(response.text).toBe(EXPECTED);
  });

  it('reads an explicit file, with tokens on one line, comments and quoted values', async () => {
    const file = netrcFile(
      '# credentials\nmachine other.org login x password y\n' +
        'machine NETRCEXAMPLE.org login "example-username" account acct password "example-password"\n',
    );
    await using client = echoClient({ trustEnv: false });
    expect((await client.get('/', { auth: new NetRCAuth(file) })).text).toBe(EXPECTED);
  });

  it('falls back to the default entry and skips macro definitions', async () => {
    const file = netrcFile(
      'machine other.org login x password y\n\nmacdef init\nmachine evil.org password nope\ncd /\n\ndefault login example-username password example-password\n',
    );
    await using client = echoClient({ trustEnv: false });
    expect((await client.get('/', { auth: new NetRCAuth(file) })).text).toBe(EXPECTED);
    expect((await client.get('http://evil.org/', { auth: new NetRCAuth(file) })).text).toBe(EXPECTED);
  });

  it('sends nothing for an entry without a password or a host without an entry', async () => {
    const file = netrcFile(
      'machine netrcexample.org login only-login\nmachine other.org login a password b\n',
    );
    await using client = echoClient({ trustEnv: false });
    expect((await client.get('/', { auth: new NetRCAuth(file) })).text).toBe('none');
    expect((await client.get('http://third.org/', { auth: new NetRCAuth(file) })).text).toBe('none');
    expect((await client.get('http://other.org/', { auth: new NetRCAuth(file) })).text).toBe(
      `Basic ${Buffer.from('a:b').toString('base64')}`,
    );
  });

  it('uses ~/.netrc, then ~/_netrc, when $NETRC is unset', async () => {
    delete process.env.NETRC;
    const home = mkdtempSync(join(dir, 'home-'));
    process.env.HOME = home;
    writeFileSync(join(home, '_netrc'), 'machine netrcexample.org login u password underscore\n');
    expect(new NetRCAuth().file).toBe(join(home, '_netrc'));
    writeFileSync(join(home, '.netrc'), EXAMPLE);
    const auth = new NetRCAuth();
    expect(auth.file).toBe(join(home, '.netrc'));
    await using client = echoClient({ trustEnv: false });
    expect((await client.get('/', { auth })).text).toBe(EXPECTED);
  });

  it('without any netrc file, NetRCAuth() is a UsageError', () => {
    expect(() => new NetRCAuth()).toThrow(UsageError);
  });

  it('util.inspect and JSON show the file, never the password', () => {
    const file = netrcFile(EXAMPLE);
    const auth = new NetRCAuth(file);
    expect(inspect(auth)).toBe(`NetRCAuth(file=${JSON.stringify(file)})`);
    expect(JSON.stringify(auth)).not.toContain('example-password');
    expect(inspect(auth, { showHidden: true, depth: 10 })).not.toContain('example-password');
  });
});

describe('trustEnv netrc lookup', () => {
  it('uses netrc credentials when no auth is given anywhere', async () => {
    process.env.NETRC = netrcFile(EXAMPLE);
    await using client = echoClient();
    expect((await client.get('/')).text).toBe(EXPECTED);
  });

  it('is not used when a request auth, a client auth or URL userinfo is given, or auth is null', async () => {
    process.env.NETRC = netrcFile(EXAMPLE);
    await using client = echoClient();
    expect((await client.get('/', { auth: ['a', 'b'] })).text).toBe(
      `Basic ${Buffer.from('a:b').toString('base64')}`,
    );
    expect((await client.get('http://c:d@netrcexample.org/')).text).toBe(
      `Basic ${Buffer.from('c:d').toString('base64')}`,
    );
    expect((await client.get('/', { auth: null })).text).toBe('none');
    await using withAuth = echoClient({ auth: ['e', 'f'] });
    expect((await withAuth.get('/')).text).toBe(`Basic ${Buffer.from('e:f').toString('base64')}`);
  });

  it('trustEnv: false disables it', async () => {
    process.env.NETRC = netrcFile(EXAMPLE);
    await using client = echoClient({ trustEnv: false });
    expect((await client.get('/')).text).toBe('none');
  });

  it('sends nothing for a host without an entry, or when there is no netrc file', async () => {
    process.env.NETRC = netrcFile(EXAMPLE);
    await using client = echoClient();
    expect((await client.get('http://elsewhere.org/')).text).toBe('none');
    process.env.NETRC = join(dir, 'missing');
    await using fresh = echoClient();
    expect((await fresh.get('/')).text).toBe('none');
  });

  it('parses the file once per client: later edits need a new client', async () => {
    const file = netrcFile(EXAMPLE);
    process.env.NETRC = file;
    await using client = echoClient();
    expect((await client.get('/')).text).toBe(EXPECTED);
    writeFileSync(file, 'machine netrcexample.org login changed password changed\n');
    expect((await client.get('/')).text).toBe(EXPECTED);
    await using fresh = echoClient();
    expect((await fresh.get('/')).text).toBe(`Basic ${Buffer.from('changed:changed').toString('base64')}`);
  });
});
