import { invalidParameter } from '../errors.js';
import { boolParam, intParam, listParam } from '../http/query.js';
import { type Dataset, type Item, isHiddenField } from './datasets.js';

export const NO_LIMIT = 999_999_999_999;

export interface ItemsQuery {
  offset: number;
  limit: number | undefined;
  desc: boolean;
  fields: string[] | undefined;
  omit: string[] | undefined;
  unwind: string[] | undefined;
  flatten: string[] | undefined;
  skipEmpty: boolean;
  skipHidden: boolean;
}

export function parseItemsQuery(url: URL): ItemsQuery {
  const clean = boolParam(url, 'clean');
  const limit = intParam(url, 'limit', { min: 0 });
  return {
    offset: intParam(url, 'offset', { min: 0 }) ?? 0,
    // The API treats limit=0 as "no limit", as the official client assumes.
    limit: limit === 0 ? undefined : limit,
    desc: boolParam(url, 'desc'),
    fields: listParam(url, 'fields'),
    omit: listParam(url, 'omit'),
    unwind: listParam(url, 'unwind'),
    flatten: listParam(url, 'flatten'),
    skipEmpty: clean || boolParam(url, 'skipEmpty'),
    skipHidden: clean || boolParam(url, 'skipHidden'),
  };
}

export interface ItemsPage {
  /** The stored items in the requested window, newest first when `desc`. */
  readonly window: Item[];
  readonly offset: number;
  readonly limit: number;
  readonly total: number;
  readonly desc: boolean;
}

/** The pagination window; with `desc` the offset counts from the newest end (as memory-storage does). */
export function selectWindow(dataset: Dataset, q: ItemsQuery): ItemsPage {
  const total = dataset.items.length;
  const limit = q.limit ?? NO_LIMIT;
  let window: Item[];
  if (q.desc) {
    const end = Math.max(0, total - q.offset);
    const start = Math.max(0, end - limit);
    window = dataset.items.slice(start, end).reverse();
  } else {
    window = dataset.items.slice(q.offset, q.offset + limit);
  }
  return { window, offset: q.offset, limit, total, desc: q.desc };
}

function isPlainObject(value: unknown): value is Item {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unwindOne(item: Item, field: string): Item[] {
  const value = item[field];
  if (Array.isArray(value)) {
    const { [field]: _dropped, ...parent } = item;
    return value.map((element) =>
      isPlainObject(element) ? { ...parent, ...element } : { ...parent, [field]: element },
    );
  }
  if (isPlainObject(value)) {
    const { [field]: _dropped, ...parent } = item;
    return [{ ...parent, ...value }];
  }
  return [item];
}

function flattenField(item: Item, field: string): Item {
  const value = item[field];
  if (!isPlainObject(value)) return item;
  const out: Item = {};
  for (const [key, v] of Object.entries(item)) {
    if (key !== field) {
      out[key] = v;
      continue;
    }
    const walk = (prefix: string, obj: Item): void => {
      for (const [k, inner] of Object.entries(obj)) {
        if (isPlainObject(inner)) walk(`${prefix}.${k}`, inner);
        else out[`${prefix}.${k}`] = inner;
      }
    };
    walk(field, value);
  }
  return out;
}

/**
 * Applies the item transformations in a fixed order: skipHidden, skipEmpty (on the stored item),
 * unwind, flatten, then fields/omit. Returns the rows one stored item produces (0..n).
 */
export function transformItem(item: Item, q: ItemsQuery): Item[] {
  let base = item;
  if (q.skipHidden) {
    base = {};
    for (const [key, value] of Object.entries(item)) if (!isHiddenField(key)) base[key] = value;
  }
  if (q.skipEmpty && Object.keys(base).length === 0) return [];
  let rows = [base];
  for (const field of q.unwind ?? []) rows = rows.flatMap((row) => unwindOne(row, field));
  for (const field of q.flatten ?? []) rows = rows.map((row) => flattenField(row, field));
  const { fields, omit } = q;
  if (fields) {
    rows = rows.map((row) => {
      const out: Item = {};
      for (const f of fields) if (Object.hasOwn(row, f)) out[f] = row[f];
      return out;
    });
  }
  if (omit) {
    rows = rows.map((row) => {
      const out: Item = { ...row };
      for (const f of omit) delete out[f];
      return out;
    });
  }
  return rows;
}

export type ItemsFormat = 'json' | 'jsonl' | 'csv';

export function parseFormat(url: URL): ItemsFormat {
  const format = (url.searchParams.get('format') ?? 'json').toLowerCase();
  if (format === 'json' || format === 'jsonl' || format === 'csv') return format;
  if (['html', 'xlsx', 'xml', 'rss'].includes(format)) {
    throw invalidParameter(`Format '${format}' is not supported by the emulator; use json, jsonl or csv`);
  }
  throw invalidParameter(`Format '${format}' is invalid; use json, jsonl or csv`);
}

export const CONTENT_TYPES: Record<ItemsFormat, string> = {
  json: 'application/json; charset=utf-8',
  jsonl: 'application/jsonl; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};
