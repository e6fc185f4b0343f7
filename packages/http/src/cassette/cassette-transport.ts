import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import type { RequestContext } from '../lifecycle/request-context.js';
import type { Request } from '../models/request.js';
import { Response } from '../models/response.js';
import { BaseTransport } from '../transports/base.js';
import { type BodyRedactor, secretFieldRedactor } from './body-redaction.js';
import { CassetteMismatch } from './errors.js';
import {
  type CassetteFile,
  DEFAULT_SECRET_PARAMS,
  type Episode,
  loadBody,
  type RecordedRequest,
  redactHeaders,
  redactRecordedUrl,
  storeBody,
} from './format.js';
import { describeDifference, MATCHERS, type Matcher, type MatcherName } from './matchers.js';

export type CassetteMode = 'record' | 'replay' | 'replayOrRecord' | 'passthrough';

export interface CassetteTransportOptions {
  /** The JSON file episodes are read from and written to. */
  path: string;
  /** `replayOrRecord` (default): replay what is recorded, record what is new. */
  mode?: CassetteMode;
  /** The transport that reaches the network in `record`, `replayOrRecord` and `passthrough` modes. */
  transport?: BaseTransport;
  /** Named matchers or functions; default `['method', 'url', 'body']`. */
  matchOn?: ReadonlyArray<MatcherName | Matcher>;
  /** Query parameters (case-insensitive) whose values are masked; default `DEFAULT_SECRET_PARAMS`. */
  secretParams?: readonly string[];
  /** Extra header names (beyond Authorization, Proxy-Authorization, Cookie, Set-Cookie) to mask. */
  secretHeaders?: readonly string[];
  /**
   * JSON, form and multipart field names (case-insensitive, `_`/`-` ignored) whose values are
   * masked in recorded request bodies; default `DEFAULT_SECRET_FIELDS`.
   */
  secretFields?: readonly string[];
  /** Replaces the field-name redactor for request bodies (it then ignores `secretFields`). */
  redactBody?: BodyRedactor;
  /** Let one episode answer more than once (default false: each episode plays once, in order). */
  allowRepeats?: boolean;
  /** Size of the chunks a replayed body is streamed in (default 64 KiB). */
  chunkSize?: number;
}

const MODES = new Set<CassetteMode>(['record', 'replay', 'replayOrRecord', 'passthrough']);

/**
 * Records the traffic of the transport it wraps to a JSON cassette and replays it later, without
 * the network (in the spirit of vcrpy). Secrets are masked before anything is written.
 */
export class CassetteTransport extends BaseTransport {
  readonly path: string;
  readonly mode: CassetteMode;
  readonly #inner: BaseTransport | null;
  readonly #matchers: Array<[string, Matcher]>;
  readonly #secretParams: ReadonlySet<string>;
  readonly #secretHeaders: ReadonlySet<string>;
  readonly #redactBody: BodyRedactor;
  readonly #allowRepeats: boolean;
  readonly #chunkSize: number;
  #episodes: Array<Episode | null> | null = null;
  #played = new Set<number>();
  #writing: Promise<void> = Promise.resolve();

  constructor(options: CassetteTransportOptions) {
    super();
    if (typeof options?.path !== 'string' || options.path === '') {
      throw new UsageError('CassetteTransport needs a `path` to the cassette file');
    }
    const mode = options.mode ?? 'replayOrRecord';
    if (!MODES.has(mode)) {
      throw new UsageError(
        `CassetteTransport mode must be one of ${[...MODES].join(', ')}, got ${JSON.stringify(mode)}`,
      );
    }
    if (mode !== 'replay' && options.transport === undefined) {
      throw new UsageError(`CassetteTransport in ${mode} mode needs a \`transport\` to reach the network`);
    }
    const chunkSize = options.chunkSize ?? 65_536;
    if (!Number.isInteger(chunkSize) || chunkSize < 1) {
      throw new UsageError(`CassetteTransport chunkSize must be a positive integer, got ${chunkSize}`);
    }
    this.path = options.path;
    this.mode = mode;
    this.#inner = options.transport ?? null;
    this.#matchers = (options.matchOn ?? ['method', 'url', 'body']).map((m, i) => {
      if (typeof m === 'function') return [m.name || `matcher #${i}`, m];
      const named = MATCHERS[m];
      if (named === undefined) {
        throw new UsageError(
          `Unknown cassette matcher ${JSON.stringify(m)}; known: ${Object.keys(MATCHERS).join(', ')}`,
        );
      }
      return [m, named];
    });
    this.#secretParams = new Set((options.secretParams ?? DEFAULT_SECRET_PARAMS).map((p) => p.toLowerCase()));
    this.#secretHeaders = new Set((options.secretHeaders ?? []).map((h) => h.toLowerCase()));
    if (options.redactBody !== undefined && typeof options.redactBody !== 'function') {
      throw new UsageError(
        'CassetteTransport redactBody must be a function (body, contentType) => Uint8Array',
      );
    }
    this.#redactBody = options.redactBody ?? secretFieldRedactor(options.secretFields);
    this.#allowRepeats = options.allowRepeats ?? false;
    this.#chunkSize = chunkSize;
  }

  override async handleRequest(request: Request, context?: RequestContext): Promise<Response> {
    if (this.mode === 'passthrough') return (this.#inner as BaseTransport).handleRequest(request, context);
    const episodes = await this.#load();
    const live = await this.#describe(request);
    if (this.mode !== 'record') {
      const found = this.#find(live, episodes);
      if (found !== null) return this.#replay(found, request);
      if (this.mode === 'replay') throw this.#mismatch(live, request, episodes);
    }
    return this.#record(live, request, context, episodes);
  }

  override async close(): Promise<void> {
    await this.#writing;
    await this.#inner?.close();
  }

  async #load(): Promise<Array<Episode | null>> {
    if (this.#episodes !== null) return this.#episodes;
    if (this.mode === 'record') {
      this.#episodes = [];
      return this.#episodes;
    }
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && this.mode === 'replayOrRecord') {
        this.#episodes = [];
        return this.#episodes;
      }
      throw new UsageError(`Cannot read cassette ${this.path}: ${(error as Error).message}`);
    }
    let parsed: CassetteFile;
    try {
      parsed = JSON.parse(text) as CassetteFile;
    } catch (error) {
      throw new UsageError(`Cassette ${this.path} is not valid JSON: ${(error as Error).message}`);
    }
    if (parsed?.version !== 1 || !Array.isArray(parsed.episodes)) {
      throw new UsageError(`${this.path} is not a version 1 cassette`);
    }
    this.#episodes = parsed.episodes;
    return this.#episodes;
  }

  async #describe(request: Request): Promise<RecordedRequest> {
    const body = request.body === null ? new Uint8Array() : await request.read();
    const redacted =
      body.byteLength === 0 ? body : this.#redactBody(body, request.headers.get('content-type') ?? '');
    if (!(redacted instanceof Uint8Array)) {
      throw new UsageError('CassetteTransport redactBody must return a Uint8Array');
    }
    return {
      method: request.method,
      url: redactRecordedUrl(request.url, this.#secretParams),
      headers: redactHeaders(request.headers.multiItems(), this.#secretHeaders),
      body: storeBody(redacted),
    };
  }

  #find(live: RecordedRequest, episodes: Array<Episode | null>): Episode | null {
    let repeat: Episode | null = null;
    for (const [i, episode] of episodes.entries()) {
      if (episode === null || !this.#matchers.every(([, m]) => m(live, episode.request))) continue;
      if (!this.#played.has(i)) {
        this.#played.add(i);
        return episode;
      }
      repeat = episode;
    }
    return this.#allowRepeats ? repeat : null;
  }

  #mismatch(live: RecordedRequest, request: Request, episodes: Array<Episode | null>): CassetteMismatch {
    let best: { index: number; failed: string[] } | null = null;
    for (const [index, episode] of episodes.entries()) {
      if (episode === null) continue;
      const failed = this.#matchers
        .filter(([, m]) => !m(live, episode.request))
        .map(([name]) => describeDifference(name, live, episode.request));
      if (best === null || failed.length < best.failed.length) best = { index, failed };
    }
    const head = `No episode in cassette ${this.path} matches ${live.method} ${live.url}`;
    if (best === null) {
      return new CassetteMismatch(`${head}: the cassette is empty`, {
        request,
        closestEpisode: null,
        differences: [],
      });
    }
    const closest = episodes[best.index] as Episode;
    const why = best.failed.length === 0 ? ['it was already played (allowRepeats is off)'] : best.failed;
    return new CassetteMismatch(
      `${head}; closest is episode #${best.index} (${closest.request.method} ${closest.request.url}), which differs in ${why.join('; ')}`,
      { request, closestEpisode: best.index, differences: why },
    );
  }

  #replay(episode: Episode, request: Request): Response {
    const bytes = loadBody(episode.response.body);
    const size = this.#chunkSize;
    async function* chunks(): AsyncGenerator<Uint8Array> {
      for (let at = 0; at < bytes.byteLength; at += size) yield bytes.subarray(at, at + size);
    }
    return new Response(episode.response.status, {
      headers: episode.response.headers,
      stream: chunks(),
      request,
      httpVersion: episode.response.httpVersion,
      reasonPhrase: episode.response.reasonPhrase,
      extensions: { cassette: { replayed: true } },
    });
  }

  async #record(
    live: RecordedRequest,
    request: Request,
    context: RequestContext | undefined,
    episodes: Array<Episode | null>,
  ): Promise<Response> {
    // The slot keeps episodes in request order even when bodies finish out of order.
    const slot = episodes.push(null) - 1;
    this.#played.add(slot);
    let response: Response;
    try {
      response = await (this.#inner as BaseTransport).handleRequest(request, context);
    } catch (error) {
      episodes.splice(slot, 1, null);
      throw error;
    }
    const parts: Uint8Array[] = [];
    const raw = response.iterRaw();
    const finish = (): void => {
      episodes[slot] = {
        request: live,
        response: {
          status: response.statusCode,
          reasonPhrase: response.reasonPhrase,
          httpVersion: response.httpVersion,
          headers: redactHeaders(response.headers.multiItems(), this.#secretHeaders),
          body: storeBody(Buffer.concat(parts)),
        },
      };
      this.#save();
    };
    const tee = {
      async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
        for await (const chunk of raw) {
          parts.push(chunk);
          yield chunk;
        }
        finish();
      },
      close: async (): Promise<void> => {
        // An unstarted generator ignores return(): close the network response as well.
        await raw.return(undefined);
        await response.close();
      },
    };
    return new Response(response.statusCode, {
      headers: response.headers,
      stream: tee,
      request,
      httpVersion: response.httpVersion,
      reasonPhrase: response.reasonPhrase,
      extensions: response.extensions,
    });
  }

  #save(): void {
    const episodes = (this.#episodes ?? []).filter((e): e is Episode => e !== null);
    const file: CassetteFile = { version: 1, episodes };
    const text = `${JSON.stringify(file, null, 2)}\n`;
    const tmp = `${this.path}.${randomBytes(6).toString('hex')}.tmp`;
    // Writes are chained so the last one wins; each goes to a temporary file renamed into place.
    this.#writing = this.#writing.then(async () => {
      await writeFile(tmp, text);
      await rename(tmp, this.path);
    });
  }

  /** Waits for every pending cassette write. */
  async flush(): Promise<void> {
    await this.#writing;
  }
}
