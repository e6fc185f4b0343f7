import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { redactText } from '../internal/redact.js';
import { VERSION } from '../version.js';
import { urlProblem } from './url-check.js';

export type Pair = readonly [name: string, value: string];

/** Everything the command line asked for, validated; nothing has been opened or sent yet. */
export interface CliOptions {
  url: string;
  method: string | null;
  params: Pair[];
  headers: Pair[];
  cookies: Pair[];
  content: string | null;
  data: Pair[];
  files: Pair[];
  /** The `--json` text exactly as typed (already checked to be valid JSON). */
  json: string | null;
  auth: Pair | null;
  proxy: string | null;
  /** Milliseconds, converted from the seconds given on the command line. */
  timeoutMs: number;
  followRedirects: boolean;
  verify: boolean;
  http2: boolean;
  download: string | null;
  verbose: boolean;
}

/** A command line that cannot be run: reported with the usage text, exit status 2. */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

export type ParseResult = { kind: 'run'; options: CliOptions } | { kind: 'exit'; code: number };

// Options that take two values (`-p name value`), as HTTPX's click tuples do. Commander reads one
// value per option, so each pair is joined with NUL, which no command-line argument can contain.
const PAIR_FLAGS = new Set([
  '-p',
  '--params',
  '-H',
  '--headers',
  '-d',
  '--data',
  '-f',
  '--files',
  '--cookies',
  '--auth',
]);
// Options with one value: that value is passed through untouched even if it looks like `-p`.
const VALUE_FLAGS = new Set([
  '-m',
  '--method',
  '-c',
  '--content',
  '-j',
  '--json',
  '--proxy',
  '--timeout',
  '--download',
]);
const SEPARATOR = '\0';

/** Joins the two values after each pair option into one argument for commander. */
function joinPairs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (token === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (VALUE_FLAGS.has(token) && i + 1 < argv.length) {
      out.push(token, argv[i + 1] as string);
      i += 1;
      continue;
    }
    if (!PAIR_FLAGS.has(token)) {
      out.push(token);
      continue;
    }
    const name = argv[i + 1];
    const value = argv[i + 2];
    if (name === undefined || value === undefined) {
      throw new CliUsageError(`option '${token}' needs two values: <name> <value>`);
    }
    out.push(token, `${name}${SEPARATOR}${value}`);
    i += 2;
  }
  return out;
}

function pair(raw: string): Pair {
  const parts = raw.split(SEPARATOR);
  // `--params=x` or a short-flag cluster such as `-vp x` reach here with one value only.
  if (parts.length !== 2) throw new InvalidArgumentError('Give two values: <name> <value>.');
  return [parts[0] as string, parts[1] as string];
}

function collectPair(raw: string, previous: Pair[] = []): Pair[] {
  return [...previous, pair(raw)];
}

function seconds(raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError('Give a positive number of seconds, such as 5 or 0.5.');
  }
  return value;
}

// RFC 9110 token: anything else would corrupt the request line.
function method(raw: string): string {
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(raw)) throw new InvalidArgumentError('Not an HTTP method.');
  return raw.toUpperCase();
}

function jsonText(raw: string): string {
  try {
    JSON.parse(raw);
  } catch (error) {
    throw new InvalidArgumentError(`Not valid JSON: ${(error as Error).message}.`);
  }
  return raw;
}

function absoluteUrl(raw: string): string {
  const problem = urlProblem(raw);
  if (problem !== null) throw new InvalidArgumentError(problem.endsWith('.') ? problem : `${problem}.`);
  return raw;
}

/** What a bad command line gets on stderr: the usage line and where to read more. */
export const USAGE = `Usage: pluggable-http <url> [options]
Try 'pluggable-http --help' for the options.`;

const DESCRIPTION = 'Send one HTTP request with @pluggable/http and print the response.';

const AFTER_HELP = `
Pair options (-p, -H, -d, -f, --cookies, --auth) take two values and may be repeated:
  pluggable-http https://example.org/search -p q "pluggable http" -p page 2 -H Accept text/html

The --json text is checked, then sent exactly as typed with Content-Type: application/json
(so large numbers keep every digit). A body option (-c, -d, -f, -j) without -m sends a POST.

Output: the status line and headers of each response (redirects and auth challenges included),
a blank line, then the body: JSON indented by 2 spaces (coloured on a terminal), text as is,
and "<N bytes of binary data>" for anything else (use --download to save it).
With -v, lines starting with "* " show the connection (address, TLS version and cipher, server
certificate, ALPN protocol), then the request line and headers exactly as sent; Authorization, Proxy-Authorization and
Cookie values and URL passwords are shown as [secure].

Exit status, as HTTPX's: 0 for a 2xx response, 1 for any other status or a transport error
(one line on stderr), 2 for a command line that cannot be run, 130 when interrupted (Ctrl-C).`;

function program(): Command {
  return new Command('pluggable-http')
    .description(DESCRIPTION)
    .usage('<url> [options]')
    .argument('<url>', 'absolute http:// or https:// URL', absoluteUrl)
    .addOption(
      new Option(
        '-m, --method <method>',
        'request method such as GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS (default: GET, or POST when a body is given)',
      ).argParser(method),
    )
    .addOption(
      new Option('-p, --params <name> <value>', 'query parameter appended to the URL (repeatable)').argParser(
        collectPair,
      ),
    )
    .addOption(
      new Option('-H, --headers <name> <value>', 'request header (repeatable)').argParser(collectPair),
    )
    .addOption(
      new Option('--cookies <name> <value>', 'cookie sent with the request (repeatable)').argParser(
        collectPair,
      ),
    )
    .option('-c, --content <text>', 'request body, sent as UTF-8 text')
    .addOption(
      new Option(
        '-d, --data <name> <value>',
        'form field; urlencoded, or multipart with -f (repeatable)',
      ).argParser(collectPair),
    )
    .addOption(
      new Option(
        '-f, --files <name> <path>',
        'file to upload as a multipart form part (repeatable)',
      ).argParser(collectPair),
    )
    .addOption(new Option('-j, --json <text>', 'JSON request body; must be valid JSON').argParser(jsonText))
    .addOption(new Option('--auth <user> <password>', 'HTTP Basic credentials').argParser(pair))
    .option('--proxy <url>', 'send the request through this proxy (http://, https:// or socks5://)')
    .addOption(
      new Option(
        '--timeout <seconds>',
        'timeout in SECONDS, as in HTTPX, for each of connect, read, write and pool waits',
      )
        .argParser(seconds)
        .default(5, '5'),
    )
    .option('--follow-redirects', 'follow 3xx redirects (up to 20)')
    .option('--no-verify', 'do not verify the TLS certificate of the server')
    .option('--http2', 'use HTTP/2 when the server offers it (over TLS, by ALPN)')
    .option('--download <file>', 'save the body to <file> (progress bar on a terminal), not to stdout')
    .option('-v, --verbose', 'also print the connection, TLS and ALPN details and the request head as sent')
    .version(VERSION, '--version', 'print the version and exit')
    .helpOption('-h, --help', 'show this help and exit')
    .addHelpText('after', AFTER_HELP);
}

interface RawOptions {
  method?: string;
  params?: Pair[];
  headers?: Pair[];
  cookies?: Pair[];
  content?: string;
  data?: Pair[];
  files?: Pair[];
  json?: string;
  auth?: Pair;
  proxy?: string;
  timeout: number;
  followRedirects?: true;
  verify: boolean;
  http2?: true;
  download?: string;
  verbose?: true;
}

function checkBodies(raw: RawOptions): void {
  const bodies = [
    raw.content !== undefined ? '-c/--content' : null,
    raw.json !== undefined ? '-j/--json' : null,
    raw.data !== undefined || raw.files !== undefined ? '-d/--data and -f/--files' : null,
  ].filter((b) => b !== null);
  if (bodies.length > 1) throw new CliUsageError(`${bodies.join(' and ')} each set the body: pick one`);
}

export interface ParseIO {
  writeOut(text: string): void;
  writeErr(text: string): void;
}

/**
 * Parses argv (without `node` and the script). Help and version are written to `io` and
 * reported as an exit; a bad command line is written to stderr with the usage, exit 2.
 */
export function parseArgs(argv: readonly string[], io: ParseIO): ParseResult {
  const command = program()
    .exitOverride()
    .configureOutput({
      writeOut: io.writeOut,
      writeErr: io.writeErr,
      // Commander quotes a rejected argument as typed: a URL's password must not reach the terminal.
      outputError: (text, write) => write(`pluggable-http: ${redactText(text)}`),
    })
    .showHelpAfterError(USAGE);
  const usageError = (message: string): ParseResult => {
    io.writeErr(`pluggable-http: error: ${message}\n${USAGE}\n`);
    return { kind: 'exit', code: 2 };
  };
  try {
    command.parse(joinPairs(argv), { from: 'user' });
    const raw = command.opts<RawOptions>();
    checkBodies(raw);
    return {
      kind: 'run',
      options: {
        url: command.processedArgs[0] as string,
        method: raw.method ?? null,
        params: raw.params ?? [],
        headers: raw.headers ?? [],
        cookies: raw.cookies ?? [],
        content: raw.content ?? null,
        data: raw.data ?? [],
        files: raw.files ?? [],
        json: raw.json ?? null,
        auth: raw.auth ?? null,
        proxy: raw.proxy ?? null,
        timeoutMs: raw.timeout * 1000,
        followRedirects: raw.followRedirects === true,
        verify: raw.verify,
        http2: raw.http2 === true,
        download: raw.download ?? null,
        verbose: raw.verbose === true,
      },
    };
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already written the help, the version, or the error and the usage lines.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') {
        return { kind: 'exit', code: 0 };
      }
      return { kind: 'exit', code: 2 };
    }
    if (error instanceof CliUsageError) return usageError(error.message);
    throw error;
  }
}
