// A bad URL on the command line is named by its bad part (port, IPv4, IPv6, host), exit 2.
import { describe, expect, it } from 'vitest';
import { cli } from './support/cli-process.js';

const USAGE = "Usage: pluggable-http <url> [options]\nTry 'pluggable-http --help' for the options.\n";

describe('pluggable-http URL errors', () => {
  it.each([
    ['http://127.0.0.1:99999/', "Invalid port: '99999'."],
    ['http://127.0.0.1:8o/', "Invalid port: '8o'."],
    ['http://[::1', "Invalid IPv6 address: '[::1'."],
    ['http://[::g]/', "Invalid IPv6 address: '[::g]'."],
    ['http://256.1.1.1/', "Invalid IPv4 address: '256.1.1.1'."],
    ['http://exa mple.com/', 'Invalid host: \'exa mple.com\' contains " ".'],
    ['example.org', 'Not an absolute URL: include the scheme, as in http://example.org/.'],
    ['ftp://example.org/', "Unsupported scheme 'ftp:': use http: or https:."],
  ])('%s: names the bad part, exit 2', async (url, message) => {
    const run = await cli(url);
    expect(run).toEqual({
      code: 2,
      signal: null,
      stdout: '',
      stderr: `pluggable-http: error: command-argument value '${url}' is invalid for argument 'url'. ${message}\n${USAGE}`,
    });
  });

  it('does not echo the password of a URL it rejects', async () => {
    const run = await cli('http://alice:hunter2@127.0.0.1:99999/');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "command-argument value 'http://alice:[secure]@127.0.0.1:99999/' is invalid",
    );
    expect(run.stderr).not.toContain('hunter2');
  });
});
