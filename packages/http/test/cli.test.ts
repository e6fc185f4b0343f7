import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatJson } from '../src/cli/json.js';
import { ACCEPT_ENCODING } from '../src/content/decoders.js';
import { VERSION } from '../src/version.js';
import { CLI, cli, type Run, start } from './support/cli-process.js';
import { startProxy } from './support/proxies.js';
import {
  type Certificates,
  echo,
  httpServer,
  httpsServer,
  makeCertificates,
  type TestServer,
} from './support/servers.js';
import { report, sha256 } from './support/upload-server.js';

/** The part of stdout after the last response head: the printed body. */
function body(run: Run): string {
  return run.stdout.slice(run.stdout.lastIndexOf('\n\n') + 2);
}

const JSON_BODY = '{"a":1,"list":[true,null,"x"],"big":12345678901234567890,"empty":{}}';
// Brackets, commas and colons inside strings, escapes, exponents and nested empties.
const TRICKY_JSON = ' [ {"s" : "a\\"]}{,:b", "n":-1.5e+10, "u":"\\u00e9"} , [[]], [ ], "" ] ';
const DOWNLOAD = randomBytes(3 * 1024 * 1024);

let server: TestServer;
let base: string;
let requests: string[] = [];
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
// Resolves when a stalling route has its request, so a test interrupts only once it is in flight.
let stalled = deferred();
const dir = mkdtempSync(join(tmpdir(), 'pluggable-cli-'));

async function routes(req: IncomingMessage, res: ServerResponse): Promise<void> {
  requests.push(`${req.method} ${req.url}`);
  res.sendDate = false;
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/json') {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': JSON_BODY.length });
    res.end(JSON_BODY);
  } else if (path === '/tricky') {
    res.writeHead(200, { 'Content-Type': 'application/problem+json' }).end(TRICKY_JSON);
  } else if (path === '/echo') {
    await echo(req, res);
  } else if (path === '/upload') {
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(await report(req)));
  } else if (path === '/redirect') {
    res.writeHead(302, { Location: '/json', 'Content-Length': 0 }).end();
  } else if (path === '/missing') {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no such thing');
  } else if (path === '/binary') {
    res.writeHead(200, { 'Content-Type': 'image/png' }).end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]));
  } else if (path === '/download') {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': DOWNLOAD.length });
    res.end(DOWNLOAD);
  } else if (path === '/partial') {
    // Headers and half the body, then silence: the download must not survive as a file.
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': 2048 });
    res.write(Buffer.alloc(1024), () => stalled.resolve());
  } else if (path === '/stall') {
    stalled.resolve();
  } else {
    res.writeHead(500).end(`unexpected ${req.url}`);
  }
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npx tsc --build\` before these tests`);
  server = await httpServer((req, res) => void routes(req, res));
  base = server.url;
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Echo {
  method: string;
  url: string;
  headers: string[];
  body: string;
}

function echoed(run: Run): Echo {
  expect(run.stderr).toBe('');
  return JSON.parse(body(run)) as Echo;
}

function header(e: Echo, name: string): string | undefined {
  const i = e.headers.findIndex((h, index) => index % 2 === 0 && h.toLowerCase() === name.toLowerCase());
  return i === -1 ? undefined : e.headers[i + 1];
}

describe('pluggable-http output', () => {
  it('prints the status line, headers, a blank line and the JSON indented by 2 spaces', async () => {
    const run = await cli(`${base}/json`);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(
      [
        'HTTP/1.1 200 OK',
        'Content-Type: application/json',
        `Content-Length: ${JSON_BODY.length}`,
        'Connection: keep-alive',
        'Keep-Alive: timeout=5',
        '',
        '{',
        '  "a": 1,',
        '  "list": [',
        '    true,',
        '    null,',
        '    "x"',
        '  ],',
        '  "big": 12345678901234567890,',
        '  "empty": {}',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('re-indents JSON as served: string contents, escapes and number spellings untouched', async () => {
    const run = await cli(`${base}/tricky`);
    expect(run.code).toBe(0);
    expect(body(run)).toBe(
      [
        '[',
        '  {',
        '    "s": "a\\"]}{,:b",',
        '    "n": -1.5e+10,',
        '    "u": "\\u00e9"',
        '  },',
        '  [',
        '    []',
        '  ],',
        '  [],',
        '  ""',
        ']',
        '',
      ].join('\n'),
    );
  });

  it('colours JSON only when asked (stdout is a terminal)', () => {
    expect(formatJson('{"k":["v",1,true]}', true)).toBe(
      '{\n  \x1b[1;34m"k"\x1b[0m: [\n    \x1b[32m"v"\x1b[0m,\n    \x1b[36m1\x1b[0m,\n    \x1b[35mtrue\x1b[0m\n  ]\n}',
    );
    expect(formatJson('{"k":1}', false)).toBe('{\n  "k": 1\n}');
    expect(formatJson('{"k":', false)).toBeNull();
  });

  it('shows text as is, exits 1 on a 404 as HTTPX does', async () => {
    const run = await cli(`${base}/missing`);
    expect(run.code).toBe(1);
    expect(run.stdout.startsWith('HTTP/1.1 404 Not Found\n')).toBe(true);
    expect(body(run)).toBe('no such thing\n');
    expect(run.stderr).toBe('');
  });

  it('summarises a binary body in one line instead of dumping it', async () => {
    const run = await cli(`${base}/binary`);
    expect(run.code).toBe(0);
    expect(body(run)).toBe('<7 bytes of binary data>\n');
  });

  it('prints --help with every option, and --version', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.stderr).toBe('');
    for (const flag of [
      '-m, --method',
      '-p, --params <name> <value>',
      '-H, --headers <name> <value>',
      '--cookies <name> <value>',
      '-c, --content',
      '-d, --data <name> <value>',
      '-f, --files <name> <path>',
      '-j, --json',
      '--auth <user> <password>',
      '--proxy',
      '--timeout <seconds>',
      '--follow-redirects',
      '--no-verify',
      '--http2',
      '--download <file>',
      '-v, --verbose',
      '--version',
      '-h, --help',
    ]) {
      expect(help.stdout).toContain(flag);
    }
    expect(help.stdout).toContain('timeout in SECONDS');
    const version = await cli('--version');
    expect(version).toEqual({ code: 0, signal: null, stdout: `${VERSION}\n`, stderr: '' });
  });
});

describe('pluggable-http requests', () => {
  it('sends --json exactly as typed with Content-Type: application/json', async () => {
    const e = echoed(await cli(`${base}/echo`, '--json', '{"a":1}', '-m', 'POST'));
    expect(e.method).toBe('POST');
    expect(e.body).toBe('{"a":1}');
    expect(header(e, 'content-type')).toBe('application/json');
    expect(header(e, 'content-length')).toBe('7');
  });

  it('defaults to POST when a body is given and to GET otherwise, as HTTPX', async () => {
    expect(echoed(await cli(`${base}/echo`, '-c', 'hello')).method).toBe('POST');
    expect(echoed(await cli(`${base}/echo`, '-c', 'hello')).body).toBe('hello');
    expect(echoed(await cli(`${base}/echo`)).method).toBe('GET');
    expect(echoed(await cli(`${base}/echo`, '-m', 'put', '-c', 'x')).method).toBe('PUT');
    // A value that looks like a pair option is still just the value.
    expect(echoed(await cli(`${base}/echo`, '-c', '-p')).body).toBe('-p');
  });

  it('appends -p params, sends -H headers and --cookies, urlencodes repeated -d fields', async () => {
    const e = echoed(
      await cli(
        `${base}/echo?keep=1`,
        '-p',
        'q',
        'two words',
        '-p',
        'q',
        'again',
        '-H',
        'X-Test',
        'yes',
        '--cookies',
        'session',
        'abc',
        '-d',
        'name',
        'value',
        '-d',
        'name',
        'other',
      ),
    );
    expect(e.method).toBe('POST');
    expect(e.url).toBe('/echo?keep=1&q=two+words&q=again');
    expect(header(e, 'x-test')).toBe('yes');
    expect(header(e, 'cookie')).toBe('session=abc');
    expect(header(e, 'content-type')).toBe('application/x-www-form-urlencoded');
    expect(e.body).toBe('name=value&name=other');
  });

  it('uploads -f files with -d fields as multipart/form-data', async () => {
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'line one\nline two\n');
    const run = await cli(`${base}/upload`, '-d', 'title', 'Notes', '-f', 'attachment', file);
    expect(run.code).toBe(0);
    const parsed = JSON.parse(body(run)) as Awaited<ReturnType<typeof report>>;
    expect(parsed.parts).toEqual([
      {
        kind: 'field',
        name: 'title',
        filename: null,
        mimeType: 'text/plain',
        size: 5,
        sha256: sha256('Notes'),
        text: 'Notes',
      },
      {
        kind: 'file',
        name: 'attachment',
        filename: 'notes.txt',
        mimeType: 'text/plain',
        size: 18,
        sha256: sha256('line one\nline two\n'),
        text: 'line one\nline two\n',
      },
    ]);
    expect(parsed.headers['content-length']).toBe(String(parsed.size));
  });

  it('sends --auth as Basic credentials', async () => {
    const e = echoed(await cli(`${base}/echo`, '--auth', 'alice', 's3cret'));
    expect(header(e, 'authorization')).toBe(`Basic ${Buffer.from('alice:s3cret').toString('base64')}`);
  });

  it('-v prints the connection, then the request head as sent, with the Authorization value redacted', async () => {
    const run = await cli(`${base}/json`, '-v', '--auth', 'alice', 's3cret', '-H', 'X-Trace', 't1');
    expect(run.code).toBe(0);
    const [requestHead] = run.stdout.split('\n\n');
    // undici writes Host and Connection itself, in lower case, ahead of the library's headers.
    expect(requestHead).toBe(
      [
        `* Connecting to '127.0.0.1' on port ${server.port}`,
        `* Connected to '127.0.0.1' on port ${server.port}`,
        'GET /json HTTP/1.1',
        `host: 127.0.0.1:${server.port}`,
        'connection: keep-alive',
        'Accept: */*',
        // zstd joins the list on Node versions that have it (wire.test.ts checks the value itself).
        `Accept-Encoding: ${ACCEPT_ENCODING}`,
        `User-Agent: pluggable-http/${VERSION}`,
        'X-Trace: t1',
        'Authorization: [secure]',
      ].join('\n'),
    );
    expect(run.stdout).toContain('\n\nHTTP/1.1 200 OK\n');
    expect(run.stdout).not.toContain(Buffer.from('alice:s3cret').toString('base64'));
    expect(run.stdout).not.toContain('s3cret');
  });

  it('redacts a URL password in verbose output', async () => {
    const run = await cli(`http://bob:hunter2@127.0.0.1:${server.port}/json`, '-v');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('\nAuthorization: [secure]\n');
    expect(run.stdout + run.stderr).not.toContain('hunter2');
  });

  it('-v on a refused connection shows the attempt and no request head, since none was sent', async () => {
    const closed = await httpServer(() => undefined);
    await closed.close();
    const run = await cli(`http://bob:hunter2@127.0.0.1:${closed.port}/`, '-v');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      `* Connecting to '127.0.0.1' on port ${closed.port}\n` +
        `* Connection failed: connect ECONNREFUSED 127.0.0.1:${closed.port}\n`,
    );
    expect(run.stdout + run.stderr).not.toContain('hunter2');
  });

  it('shows a redirect without following it (exit 1, as HTTPX), and follows with --follow-redirects', async () => {
    const unfollowed = await cli(`${base}/redirect`);
    expect(unfollowed.code).toBe(1);
    expect(unfollowed.stdout).toBe(
      'HTTP/1.1 302 Found\nLocation: /json\nContent-Length: 0\nConnection: keep-alive\nKeep-Alive: timeout=5\n\n',
    );
    const followed = await cli(`${base}/redirect`, '--follow-redirects');
    expect(followed.code).toBe(0);
    expect(followed.stdout.startsWith('HTTP/1.1 302 Found\nLocation: /json\n')).toBe(true);
    expect(followed.stdout).toContain('\n\nHTTP/1.1 200 OK\nContent-Type: application/json\n');
    expect(JSON.parse(body(followed))).toEqual(JSON.parse(JSON_BODY));
  });

  it('sends through --proxy', async () => {
    await using proxy = await startProxy();
    const run = await cli(`${base}/json`, '--proxy', proxy.url);
    expect(run.code).toBe(0);
    expect(proxy.forwarded).toEqual([`${base}/json`]);
  });
});

describe('pluggable-http --download', () => {
  it('streams exactly the served bytes to the file and prints only the head on stdout', async () => {
    const empty = mkdtempSync(join(dir, 'dl-'));
    const file = join(empty, 'data.bin');
    const run = await cli(`${base}/download`, '--download', file);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(''); // no progress bar: stderr is not a terminal
    expect(run.stdout).toBe(
      `HTTP/1.1 200 OK\nContent-Type: application/octet-stream\nContent-Length: ${DOWNLOAD.length}\nConnection: keep-alive\nKeep-Alive: timeout=5\n\n`,
    );
    expect(sha256(readFileSync(file))).toBe(sha256(DOWNLOAD));
    expect(readdirSync(empty)).toEqual(['data.bin']);
  });

  it('leaves nothing behind when the body stops arriving', async () => {
    const empty = mkdtempSync(join(dir, 'dl-'));
    const run = await cli(`${base}/partial`, '--download', join(empty, 'data.bin'), '--timeout', '0.3');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^pluggable-http: ReadTimeout: [^\n]+\n$/);
    expect(readdirSync(empty)).toEqual([]);
  });

  it('refuses a target in a folder that does not exist, before sending anything', async () => {
    requests = [];
    const run = await cli(`${base}/download`, '--download', join(dir, 'nope', 'data.bin'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('the folder');
    expect(requests).toEqual([]);
  });
});

describe('pluggable-http failures', () => {
  it('a stalling server with --timeout exits 1 with one line', async () => {
    const run = await cli(`${base}/stall`, '--timeout', '0.3');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `pluggable-http: ReadTimeout: Timed out after 300 ms waiting for the response (GET ${base}/stall)\n`,
    );
  });

  it('connection refused is exactly one line on stderr, exit 1', async () => {
    const closed = await httpServer(() => undefined);
    await closed.close();
    const run = await cli(`http://127.0.0.1:${closed.port}/`);
    expect(run).toEqual({
      code: 1,
      signal: null,
      stdout: '',
      stderr: `pluggable-http: ConnectError: connect ECONNREFUSED 127.0.0.1:${closed.port} (GET http://127.0.0.1:${closed.port}/)\n`,
    });
  });

  it.each([
    [['--bogus'], "unknown option '--bogus'"],
    [[], "missing required argument 'url'"],
    [['-j', '{"a":'], "option '-j, --json <text>' argument '{\"a\":' is invalid. Not valid JSON"],
    [['-p', 'only-one'], "option '-p' needs two values: <name> <value>"],
    [['--timeout', 'soon'], "option '--timeout <seconds>' argument 'soon' is invalid"],
    [['-c', 'x', '-j', '1'], '-c/--content and -j/--json each set the body: pick one'],
    [['-H', 'X-Bad', 'a\r\nInjected: 1'], 'LocalProtocolError: Invalid header value for "X-Bad"'],
    [['-f', 'file', '/no/such/file'], "cannot read '/no/such/file' for -f/--files file"],
  ])('%j is a usage error: message and usage on stderr, exit 2, nothing sent', async (args, message) => {
    requests = [];
    const url = args.length === 0 ? [] : [`${base}/echo`];
    const run = await cli(...url, ...args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`pluggable-http: error: ${message}`);
    expect(run.stderr).toContain(
      "Usage: pluggable-http <url> [options]\nTry 'pluggable-http --help' for the options.\n",
    );
    expect(requests).toEqual([]);
  });

  it('Ctrl-C aborts the request in flight and exits 130', async () => {
    stalled = deferred();
    const { child, done } = start([`${base}/stall`, '--timeout', '30']);
    await stalled.promise;
    child.kill('SIGINT');
    const run = await done;
    expect(run).toEqual({ code: 130, signal: null, stdout: '', stderr: 'pluggable-http: interrupted\n' });
  });

  it('Ctrl-C during a download leaves no file', async () => {
    stalled = deferred();
    const empty = mkdtempSync(join(dir, 'dl-'));
    const { child, done } = start([`${base}/partial`, '--download', join(empty, 'data.bin')]);
    await stalled.promise;
    // The head is printed once the response arrives; wait for it so the body is being streamed.
    await once(child.stdout, 'data');
    child.kill('SIGINT');
    const run = await done;
    expect(run.code).toBe(130);
    expect(readdirSync(empty)).toEqual([]);
  });
});

describe('pluggable-http TLS', () => {
  let certs: Certificates;
  let tls: TestServer;
  beforeAll(async () => {
    certs = await makeCertificates();
    tls = await httpsServer(certs, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('secure hello');
    });
  });
  afterAll(async () => {
    await tls.close();
    rmSync(certs.dir, { recursive: true, force: true });
  });

  it('rejects a self-signed certificate by default with one line, exit 1', async () => {
    const run = await cli(tls.url);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^pluggable-http: ConnectError: [^\n]*self[- ]signed certificate[^\n]*\n$/);
  });

  it('succeeds with --no-verify', async () => {
    const run = await cli(tls.url, '--no-verify');
    expect(run.code).toBe(0);
    expect(body(run)).toBe('secure hello\n');
  });

  it('-v prints the TLS version and cipher, the certificate subject and the ALPN protocol', async () => {
    const run = await cli(tls.url, '--no-verify', '-v');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    const { port } = new URL(tls.url);
    expect(lines.slice(0, 2)).toEqual([
      `* Connecting to '127.0.0.1' on port ${port}`,
      `* Connected to '127.0.0.1' on port ${port}`,
    ]);
    expect(lines[2]).toMatch(/^\* TLS established using 'TLSv1\.[23]' \/ '[A-Z0-9_-]+'$/);
    expect(lines.slice(3, 6)).toEqual([
      '* Server certificate:',
      '*   subject: CN=localhost',
      '*   issuer: CN=localhost',
    ]);
    expect(lines[6]).toMatch(/^\* {3}valid until: \w{3} +\d+ [\d:]+ \d{4} GMT$/);
    // Without --http2 the client offers only http/1.1, which Node's HTTPS server accepts.
    expect(lines.slice(7, 9)).toEqual(["* Selected ALPN protocol: 'http/1.1'", 'GET / HTTP/1.1']);
  });

  it('speaks HTTP/2 with --http2 when the server offers it', async () => {
    const server = http2.createSecureServer(
      { cert: certs.cert, key: certs.key, allowHTTP1: true },
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"h2":true}');
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const run = await cli(url, '--http2', '--no-verify', '-v');
      expect(run.code).toBe(0);
      const head = run.stdout.slice(0, run.stdout.indexOf('\n\n'));
      // The head as HTTP/2 frames it: pseudo-headers, lower-case names, no Connection header.
      expect(head.slice(head.indexOf('GET / HTTP/2')).split('\n')).toEqual([
        'GET / HTTP/2',
        `:authority: ${new URL(url).host}`,
        ':scheme: https',
        'accept: */*',
        `accept-encoding: ${ACCEPT_ENCODING}`,
        `user-agent: pluggable-http/${VERSION}`,
      ]);
      expect(head).toContain("\n* TLS established using 'TLSv1.3' / 'TLS_");
      expect(head).toContain("\n* Selected ALPN protocol: 'h2'\nGET / HTTP/2");
      expect(run.stdout).toContain('\n\nHTTP/2 200 OK\ncontent-type: application/json\n');
      expect(body(run)).toBe('{\n  "h2": true\n}\n');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
