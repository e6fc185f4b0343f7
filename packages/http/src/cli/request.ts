import { openAsBlob } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { BasicAuth } from '../auth/auth.js';
import type { ClientOptions, RequestOptions } from '../client.js';
import type { DataInit } from '../content/body.js';
import type { FileInit } from '../content/multipart.js';
import { type CliOptions, CliUsageError, type Pair } from './args.js';

/** What to send, built from the command line: every local file has been checked already. */
export interface PreparedRequest {
  method: string;
  url: string;
  client: ClientOptions;
  request: RequestOptions;
  /** Absolute path of the `--download` target. */
  download: string | null;
}

function hasBody(options: CliOptions): boolean {
  return (
    options.content !== null || options.json !== null || options.data.length > 0 || options.files.length > 0
  );
}

// Repeated names become lists, so `-d tag a -d tag b` sends both values.
function formData(pairs: readonly Pair[]): DataInit {
  const data: Record<string, string[]> = {};
  for (const [name, value] of pairs) (data[name] ??= []).push(value);
  return data;
}

// Opened as Blobs: the size is known up front (Content-Length) and the body can be re-sent on a
// 307/308 redirect or an auth retry, which a one-shot stream cannot.
async function openFiles(pairs: readonly Pair[]): Promise<Array<[string, FileInit]>> {
  const files: Array<[string, FileInit]> = [];
  for (const [field, path] of pairs) {
    let isFile = false;
    try {
      isFile = (await stat(path)).isFile();
    } catch (error) {
      throw new CliUsageError(`cannot read '${path}' for -f/--files ${field}: ${(error as Error).message}`);
    }
    if (!isFile) throw new CliUsageError(`'${path}' for -f/--files ${field} is not a regular file`);
    files.push([field, [basename(path), await openAsBlob(path)]]);
  }
  return files;
}

async function downloadTarget(path: string): Promise<string> {
  const target = resolve(path);
  const folder = await stat(dirname(target)).catch(() => null);
  if (folder === null || !folder.isDirectory()) {
    throw new CliUsageError(`--download ${path}: the folder ${dirname(target)} does not exist`);
  }
  const existing = await stat(target).catch(() => null);
  if (existing?.isDirectory()) throw new CliUsageError(`--download ${path}: is a directory`);
  return target;
}

/** Turns parsed options into client and request options; fails before anything is sent. */
export async function prepareRequest(options: CliOptions): Promise<PreparedRequest> {
  const client: ClientOptions = {
    timeout: options.timeoutMs,
    verify: options.verify,
    http2: options.http2,
    followRedirects: options.followRedirects,
  };
  if (options.proxy !== null) client.proxy = options.proxy;
  if (options.auth !== null) client.auth = new BasicAuth(options.auth[0], options.auth[1]);

  const headers: Array<[string, string]> = options.headers.map(([name, value]) => [name, value]);
  const request: RequestOptions = { headers };
  if (options.params.length > 0) request.params = options.params;
  if (options.cookies.length > 0) request.cookies = Object.fromEntries(options.cookies);
  if (options.content !== null) request.content = options.content;
  if (options.json !== null) {
    // Sent as typed: parsing and re-serialising would round big numbers.
    request.content = options.json;
    if (!headers.some(([name]) => name.toLowerCase() === 'content-type')) {
      headers.push(['Content-Type', 'application/json']);
    }
  }
  if (options.data.length > 0) request.data = formData(options.data);
  if (options.files.length > 0) request.files = await openFiles(options.files);

  return {
    method: options.method ?? (hasBody(options) ? 'POST' : 'GET'),
    url: options.url,
    client,
    request,
    download: options.download === null ? null : await downloadTarget(options.download),
  };
}
