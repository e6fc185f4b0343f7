import { loadBody, type RecordedRequest } from './format.js';

/** Compares a live (already redacted) request with a recorded one; true when they match. */
export type Matcher = (live: RecordedRequest, recorded: RecordedRequest) => boolean;

export type MatcherName =
  | 'method'
  | 'url'
  | 'scheme'
  | 'host'
  | 'port'
  | 'path'
  | 'query'
  | 'body'
  | 'headers';

function part(url: string, pick: (u: URL) => string): string {
  return pick(new URL(url));
}

function sortedQuery(url: string): string {
  const params = [...new URL(url).searchParams].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(params);
}

function bodyKey(request: RecordedRequest): string {
  const body = Buffer.from(loadBody(request.body)).toString('latin1');
  // A multipart boundary is random per request: compare the bodies with it replaced.
  const type = request.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  return boundary === undefined ? body : body.split(boundary).join('<boundary>');
}

function headerKey(request: RecordedRequest): string {
  return JSON.stringify(
    request.headers
      .map(([n, v]) => [
        n.toLowerCase(),
        n.toLowerCase() === 'content-type' ? v.replace(/boundary=.*/i, '') : v,
      ])
      .sort(),
  );
}

/** Named matchers, as in vcrpy: each compares one part of the request. */
export const MATCHERS: Readonly<Record<MatcherName, Matcher>> = {
  method: (a, b) => a.method === b.method,
  url: (a, b) => a.url === b.url,
  scheme: (a, b) => part(a.url, (u) => u.protocol) === part(b.url, (u) => u.protocol),
  host: (a, b) => part(a.url, (u) => u.hostname) === part(b.url, (u) => u.hostname),
  port: (a, b) => part(a.url, (u) => u.port) === part(b.url, (u) => u.port),
  path: (a, b) => part(a.url, (u) => u.pathname) === part(b.url, (u) => u.pathname),
  query: (a, b) => sortedQuery(a.url) === sortedQuery(b.url),
  body: (a, b) => bodyKey(a) === bodyKey(b),
  headers: (a, b) => headerKey(a) === headerKey(b),
};

/** What a failed matcher reports: the live and recorded values of the part it compares. */
export function describeDifference(name: string, live: RecordedRequest, recorded: RecordedRequest): string {
  const show = (r: RecordedRequest): string => {
    switch (name) {
      case 'method':
        return r.method;
      case 'body': {
        const key = bodyKey(r);
        return JSON.stringify(key.length > 80 ? `${key.slice(0, 80)}…` : key);
      }
      case 'headers':
        return headerKey(r);
      case 'url':
      case 'scheme':
      case 'host':
      case 'port':
      case 'path':
      case 'query':
        return r.url;
      default:
        return '(custom matcher)';
    }
  };
  return `${name}: request ${show(live)} vs recorded ${show(recorded)}`;
}
