// `--auth USER -` asks for the password on the terminal without echoing it (as HTTPX's CLI does),
// and is a usage error when there is no terminal to ask on.
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, cli } from './support/cli-process.js';
import { httpServer, type TestServer } from './support/servers.js';

let server: TestServer;
const authorizations: Array<string | undefined> = [];
beforeAll(async () => {
  server = await httpServer((req, res) => {
    authorizations.push(req.headers.authorization);
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end('welcome');
  });
});
afterAll(() => server.close());

/** Runs the CLI on a pseudo-terminal (util-linux `script`), typing `typed` once the prompt shows. */
function onTerminal(args: string[], typed: string): Promise<{ code: number | null; screen: string }> {
  const command = [process.execPath, CLI, ...args].map((arg) => `'${arg}'`).join(' ');
  const child = execFile('script', ['-qec', command, '/dev/null']);
  let screen = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    screen += chunk;
    if (screen.includes('Password for alice: ')) child.stdin?.end(typed);
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, screen })));
}

describe('pluggable-http --auth USER -', () => {
  it('prompts on the terminal, does not echo what is typed, and sends it as the password', async () => {
    authorizations.length = 0;
    const { code, screen } = await onTerminal([server.url, '--auth', 'alice', '-'], 'pa55word\r');
    expect(code).toBe(0);
    expect(authorizations).toEqual([`Basic ${Buffer.from('alice:pa55word').toString('base64')}`]);
    expect(screen).toContain('Password for alice: ');
    expect(screen).toContain('welcome');
    expect(screen).not.toContain('pa55word');
  });

  it('without a terminal, fails with exit 2 before sending anything', async () => {
    authorizations.length = 0;
    const run = await cli(server.url, '--auth', 'alice', '-');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^pluggable-http: error: --auth alice -: no terminal to ask for the password on; give the password as the second value\nUsage: /,
    );
    expect(authorizations).toEqual([]);
  });
});
