import { createHmac, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'apify_emulator_console';

/** The cookie holds a MAC of the token, never the token itself, so a leaked cookie value reveals nothing. */
export function sessionValue(token: string): string {
  return createHmac('sha256', token).update('apify-emulator-console').digest('hex');
}

function cookieOf(request: Request, name: string): string | null {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return null;
}

export function hasSession(request: Request, token: string | null): boolean {
  if (token === null) return true;
  const sent = cookieOf(request, SESSION_COOKIE);
  if (sent === null) return false;
  const expected = Buffer.from(sessionValue(token));
  const given = Buffer.from(sent);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function tokenMatches(sent: string, token: string): boolean {
  const a = Buffer.from(sessionValue(sent));
  return timingSafeEqual(a, Buffer.from(sessionValue(token)));
}

/** Only a same-site relative path: `//evil.example` or `https://…` would turn login into an open redirect. */
export function safeNext(next: string | undefined | null): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.includes('\\'))
    return '/';
  return next;
}

/** A POST form must come from this console: a cross-site page cannot press Abort on the user's behalf. */
export function isSameOrigin(request: Request): boolean {
  const site = request.headers.get('sec-fetch-site');
  if (site !== null) return site === 'same-origin' || site === 'none';
  const origin = request.headers.get('origin');
  if (origin === null) return true;
  return origin === new URL(request.url).origin;
}
