import { createRequire } from 'node:module';
import { UsageError } from '../errors.js';

// tough-cookie (with its public-suffix list) and mime-types (with the whole MIME database) are
// most of what `import('@pluggable/http')` would load, and a plain GET uses neither. Both ship a
// CommonJS entry, so they are required synchronously the first time a cookie is stored or a file
// part needs a guessed type, and the API stays synchronous.
const require = createRequire(import.meta.url);

type ToughCookie = typeof import('tough-cookie');
type MimeTypes = typeof import('mime-types');
export type OpenTelemetryApi = typeof import('@opentelemetry/api');

let toughCookie: ToughCookie | undefined;
let mimeTypes: MimeTypes | undefined;
let openTelemetryApi: OpenTelemetryApi | undefined;

export function loadToughCookie(): ToughCookie {
  toughCookie ??= require('tough-cookie') as ToughCookie;
  return toughCookie;
}

export function loadMimeTypes(): MimeTypes {
  mimeTypes ??= require('mime-types') as MimeTypes;
  return mimeTypes;
}

// An optional peer dependency: only `openTelemetry()` asks for it, so a client without telemetry
// never loads it, and an install without it works until telemetry is asked for.
export function loadOpenTelemetryApi(): OpenTelemetryApi {
  if (openTelemetryApi !== undefined) return openTelemetryApi;
  try {
    openTelemetryApi = require('@opentelemetry/api') as OpenTelemetryApi;
  } catch (cause) {
    if ((cause as { code?: unknown }).code !== 'MODULE_NOT_FOUND') throw cause;
    throw new UsageError(
      'openTelemetry() needs @opentelemetry/api, an optional peer dependency of @pluggable/http: npm install @opentelemetry/api',
      { cause },
    );
  }
  return openTelemetryApi;
}
