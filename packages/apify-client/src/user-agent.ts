import { VERSION } from './version.js';

interface ProcessLike {
  platform?: string;
  versions?: { node?: string };
  env?: Record<string, string | undefined>;
}

function runtimeProcess(): ProcessLike | undefined {
  return (globalThis as { process?: ProcessLike }).process;
}

export function readEnv(name: string): string | undefined {
  const value = runtimeProcess()?.env?.[name];
  return value === undefined || value === '' ? undefined : value;
}

/** `pluggable-apify-client/<version> (<platform>; Node/<version>); isAtHome/<bool>` plus `; suffix` parts. */
export function userAgent(suffix?: string | string[]): string {
  const proc = runtimeProcess();
  const platform = proc?.platform ?? 'unknown';
  const node = proc?.versions?.node ?? 'unknown';
  const isAtHome = readEnv('APIFY_IS_AT_HOME') !== undefined;
  const parts = [`pluggable-apify-client/${VERSION} (${platform}; Node/${node}); isAtHome/${isAtHome}`];
  const suffixes = suffix === undefined ? [] : Array.isArray(suffix) ? suffix : [suffix];
  return [...parts, ...suffixes.filter((item) => item !== '')].join('; ');
}
