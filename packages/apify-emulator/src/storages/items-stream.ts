import type { Item } from './datasets.js';
import { type ItemsFormat, type ItemsQuery, transformItem } from './items.js';

export interface CsvOptions {
  bom: boolean;
  delimiter: string;
  skipHeaderRow: boolean;
}

const CHUNK_ITEMS = 256;
const encoder = new TextEncoder();

/** Flattens nested values into `a/b/0` columns, as the platform's tabular formats do. */
function tabular(row: Item): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const walk = (prefix: string, value: unknown): void => {
    if (Array.isArray(value)) {
      if (value.length === 0 && prefix !== '') out.set(prefix, '');
      value.forEach((v, i) => {
        walk(prefix === '' ? String(i) : `${prefix}/${i}`, v);
      });
    } else if (typeof value === 'object' && value !== null) {
      const entries = Object.entries(value);
      if (entries.length === 0 && prefix !== '') out.set(prefix, '');
      for (const [k, v] of entries) walk(prefix === '' ? k : `${prefix}/${k}`, v);
    } else {
      out.set(prefix, value);
    }
  };
  walk('', row);
  return out;
}

function csvCell(value: unknown, delimiter: string): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : String(value);
  if (text.includes(delimiter) || /["\r\n]/.test(text)) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

/**
 * The items response body as a pull stream: each pull serializes one chunk of items, so a listing of
 * any size is never built as one string.
 */
export function itemsStream(
  window: readonly Item[],
  q: ItemsQuery,
  format: ItemsFormat,
  csv: CsvOptions,
): ReadableStream<Uint8Array> {
  let index = 0;
  let first = true;
  let columns: string[] = [];
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (format === 'json') controller.enqueue(encoder.encode('['));
      if (format === 'csv') {
        // The header needs every column up front: one pass over the window collects them in order.
        const seen = new Set<string>();
        for (const item of window) {
          for (const row of transformItem(item, q)) for (const key of tabular(row).keys()) seen.add(key);
        }
        columns = [...seen];
        let head = csv.bom ? '\ufeff' : '';
        if (!csv.skipHeaderRow)
          head += `${columns.map((c) => csvCell(c, csv.delimiter)).join(csv.delimiter)}\r\n`;
        if (head !== '') controller.enqueue(encoder.encode(head));
      }
    },
    pull(controller) {
      const end = Math.min(window.length, index + CHUNK_ITEMS);
      let text = '';
      for (; index < end; index++) {
        const item = window[index];
        if (item === undefined) continue;
        for (const row of transformItem(item, q)) {
          if (format === 'json') {
            text += `${first ? '' : ',\n'}${JSON.stringify(row)}`;
            first = false;
          } else if (format === 'jsonl') {
            text += `${JSON.stringify(row)}\n`;
          } else {
            const cells = tabular(row);
            text += `${columns.map((c) => csvCell(cells.get(c), csv.delimiter)).join(csv.delimiter)}\r\n`;
          }
        }
      }
      if (index >= window.length && format === 'json') text += ']';
      if (text !== '') controller.enqueue(encoder.encode(text));
      if (index >= window.length) controller.close();
    },
  });
}
