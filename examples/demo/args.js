// Command-line flags of the demo, parsed with node:util parseArgs (strict: unknown flags are errors).
import { parseArgs } from 'node:util';

export const USAGE = `Usage: npm start -- [options]    (or: node examples/demo.js [options])

Runs one scenario (dataset, key-value store, request queue, actor run) with three HTTP layers of
@pluggable/apify-client against a local emulator that injects faults, and prints a table per client.
It always runs on 127.0.0.1, whatever APIFY_TOKEN says, unless --platform is given.

Options:
  --items N         dataset items to push and read back per client (default 100000)
  --fault-rate R    share of emulator requests that fail, 0..1 (default 0.05; emulator only)
  --platform        run against the real Apify API instead (APIFY_TOKEN, and APIFY_API_BASE_URL
                    or https://api.apify.com): names the account, then asks for confirmation on
                    the terminal; without a terminal it refuses unless --yes is given
  --yes             with --platform: go ahead without asking (for scripts and CI)
  --quiet           print only the final tables
  --help            show this help
`;

/** A flag the demo cannot run with; the caller prints the usage and exits with code 2. */
export class UsageError extends Error {
  name = 'UsageError';
}

function integerFlag(name, text, min) {
  if (!/^\d+$/.test(text) || Number(text) < min || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`--${name} must be an integer ≥ ${min}, got ${JSON.stringify(text)}`);
  }
  return Number(text);
}

function rateFlag(name, text) {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new UsageError(`--${name} must be a number between 0 and 1, got ${JSON.stringify(text)}`);
  }
  return value;
}

/**
 * @returns {{ items: number, faultRate: number, platform: boolean, yes: boolean, quiet: boolean,
 *   help: boolean }}
 */
export function parseDemoArgs(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        items: { type: 'string', default: '100000' },
        'fault-rate': { type: 'string', default: '0.05' },
        platform: { type: 'boolean', default: false },
        yes: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    // parseArgs throws TypeErrors with ERR_PARSE_ARGS_* codes for unknown flags and missing values.
    throw new UsageError(error.message);
  }
  // --yes alone would read as "go ahead" while nothing asks; say what it belongs to instead.
  if (values.yes && !values.platform) throw new UsageError('--yes only applies together with --platform');
  return {
    items: integerFlag('items', values.items, 1),
    faultRate: rateFlag('fault-rate', values['fault-rate']),
    platform: values.platform,
    yes: values.yes,
    quiet: values.quiet,
    help: values.help,
  };
}
