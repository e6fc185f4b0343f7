import { invalidParameter } from '../errors.js';

/** Accepts every spelling real clients send: the JS client sends 1/0, the Python client true/false. */
export function boolParam(url: URL, name: string, fallback = false): boolean {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  const v = raw.toLowerCase();
  if (v === '1' || v === 'true') return true;
  if (v === '0' || v === 'false') return false;
  throw invalidParameter(`Parameter '${name}' must be a boolean (1, 0, true or false), got '${raw}'`);
}

export function intParam(
  url: URL,
  name: string,
  options: { min?: number; max?: number } = {},
): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw)) throw invalidParameter(`Parameter '${name}' must be an integer, got '${raw}'`);
  const value = Number(raw);
  if (options.min !== undefined && value < options.min) {
    throw invalidParameter(`Parameter '${name}' must be at least ${options.min}, got ${value}`);
  }
  return options.max !== undefined ? Math.min(value, options.max) : value;
}

export function numberParam(url: URL, name: string): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw invalidParameter(`Parameter '${name}' must be a number, got '${raw}'`);
  return value;
}

export function listParam(url: URL, name: string): string[] | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return undefined;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function jsonResponse(body: unknown, status = 200, headers?: HeadersInit): Response {
  const h = new Headers(headers);
  h.set('content-type', 'application/json; charset=utf-8');
  return new Response(JSON.stringify(body), { status, headers: h });
}

export function dataResponse(data: unknown, status = 200, headers?: HeadersInit): Response {
  return jsonResponse({ data }, status, headers);
}

export function noContent(): Response {
  return new Response(null, { status: 204 });
}

/** Offset pagination shared by every collection listing (storages, actors, runs, builds). */
export function paginate<T>(
  url: URL,
  all: readonly T[],
): {
  total: number;
  offset: number;
  limit: number;
  count: number;
  desc: boolean;
  items: T[];
} {
  const offset = intParam(url, 'offset', { min: 0 }) ?? 0;
  const requested = intParam(url, 'limit', { min: 0 });
  const limit = requested === undefined || requested === 0 ? 1000 : Math.min(requested, 1000);
  const desc = boolParam(url, 'desc');
  const ordered = desc ? [...all].reverse() : [...all];
  const items = ordered.slice(offset, offset + limit);
  return { total: all.length, offset, limit, count: items.length, desc, items };
}
