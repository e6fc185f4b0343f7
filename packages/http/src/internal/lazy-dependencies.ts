import { createRequire } from 'node:module';

// tough-cookie (with its public-suffix list) and mime-types (with the whole MIME database) are
// most of what `import('@pluggable/http')` would load, and a plain GET uses neither. Both ship a
// CommonJS entry, so they are required synchronously the first time a cookie is stored or a file
// part needs a guessed type, and the API stays synchronous.
const require = createRequire(import.meta.url);

type ToughCookie = typeof import('tough-cookie');
type MimeTypes = typeof import('mime-types');

let toughCookie: ToughCookie | undefined;
let mimeTypes: MimeTypes | undefined;

export function loadToughCookie(): ToughCookie {
  toughCookie ??= require('tough-cookie') as ToughCookie;
  return toughCookie;
}

export function loadMimeTypes(): MimeTypes {
  mimeTypes ??= require('mime-types') as MimeTypes;
  return mimeTypes;
}
