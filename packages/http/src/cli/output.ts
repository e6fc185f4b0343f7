import { redactText } from '../internal/redact.js';
import type { Response } from '../models/response.js';
import { formatJson } from './json.js';

export interface Output {
  write(text: string): void;
}

type BodyKind = 'json' | 'text' | 'binary';

// Non-`text/*` types that are still text, so they are shown rather than summarised.
const TEXT_TYPES = new Set([
  'application/javascript',
  'application/ecmascript',
  'application/xml',
  'application/x-www-form-urlencoded',
  'application/yaml',
  'application/x-yaml',
  'application/toml',
  'application/graphql',
  'application/sql',
  'application/x-sh',
  'application/x-ndjson',
  'application/jsonl',
  'image/svg+xml',
]);

function hasOnlyTextBytes(content: Uint8Array): boolean {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(content);
    // Control characters other than tab, LF, FF and CR mean it is not meant to be read.
    return !/[\x00-\x08\x0b\x0e-\x1f\x7f]/.test(text);
  } catch {
    return false;
  }
}

export function bodyKind(response: Response): BodyKind {
  const header = response.headers.get('content-type');
  if (header === null) return hasOnlyTextBytes(response.content) ? 'text' : 'binary';
  const mime = (header.split(';')[0] as string).trim().toLowerCase();
  if (mime === 'application/json' || mime === 'text/json' || mime.endsWith('+json')) return 'json';
  if (mime.startsWith('text/') || mime.endsWith('+xml') || TEXT_TYPES.has(mime)) return 'text';
  return 'binary';
}

/** The status line and headers of a response, as received. */
export function formatResponseHead(response: Response): string {
  const lines = [`${response.httpVersion} ${response.statusCode} ${response.reasonPhrase}`];
  for (const [name, value] of response.headers.raw) lines.push(`${name}: ${value}`);
  return `${lines.join('\n')}\n\n`;
}

/**
 * A read response's body for a person: JSON indented (coloured when `color`), text as is, and a
 * one-line note for binary content, which would garble a terminal (HTTPX prints the same note).
 */
export function formatBody(response: Response, color: boolean): string {
  const content = response.content;
  if (content.byteLength === 0) return '';
  const kind = bodyKind(response);
  if (kind === 'binary') return `<${content.byteLength} bytes of binary data>\n`;
  const text = response.text;
  const shown = (kind === 'json' ? formatJson(text, color) : null) ?? text;
  // A final newline keeps the shell prompt off the last line; text that has one is left as is.
  return shown.endsWith('\n') ? shown : `${shown}\n`;
}

/** One line for stderr: `TypeName: message`, secrets redacted, newlines folded. */
export function formatError(error: unknown): string {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return `${name}: ${redactText(message)
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .trim()}`;
}
