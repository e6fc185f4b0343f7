import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import cliProgress from 'cli-progress';
import type { Response } from '../models/response.js';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

interface Progress {
  advance(bytes: number): void;
  stop(): void;
}

function progressBar(stream: NodeJS.WriteStream, file: string, total: number | null): Progress {
  const started = performance.now();
  const bar = new cliProgress.SingleBar({
    stream,
    format:
      total === null
        ? `Downloading ${file} {done} {speed}`
        : `Downloading ${file} {percentage}% |{bar}| {done} / {size} {speed}`,
    hideCursor: true,
    barsize: 30,
  });
  let done = 0;
  const payload = () => ({
    done: formatBytes(done),
    size: total === null ? '' : formatBytes(total),
    speed: `${formatBytes(done / Math.max((performance.now() - started) / 1000, 0.001))}/s`,
  });
  // An unknown size still needs a positive total for the bar; only the byte count is shown then.
  bar.start(total ?? 1, 0, payload());
  return {
    advance(bytes) {
      done += bytes;
      bar.update(total === null ? 0 : done, payload());
    },
    stop() {
      bar.stop();
    },
  };
}

export interface DownloadOptions {
  /** Where the progress bar is drawn; null for none (stderr is not a terminal). */
  progress: NodeJS.WriteStream | null;
  signal: AbortSignal;
}

/**
 * Streams the (decoded) body to `target`. The bytes go to a temporary file beside it that is
 * renamed over `target` only once the whole body has arrived, so an error or Ctrl-C never leaves
 * a truncated file under the requested name.
 */
export async function downloadTo(
  response: Response,
  target: string,
  options: DownloadOptions,
): Promise<number> {
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.part`);
  const length = Number(response.headers.get('content-length'));
  const total =
    response.headers.has('content-length') &&
    !response.headers.has('content-encoding') &&
    Number.isSafeInteger(length)
      ? length
      : null;
  const progress = options.progress === null ? null : progressBar(options.progress, basename(target), total);
  let written = 0;
  async function* counted(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const chunk of source) {
      written += chunk.byteLength;
      progress?.advance(chunk.byteLength);
      yield chunk;
    }
  }
  // Opened before streaming starts, so a failure at any point finds the file there to remove.
  const file = await open(temporary, 'wx');
  try {
    await pipeline(response.iterBytes(), counted, file.createWriteStream(), { signal: options.signal });
    await rename(temporary, target);
  } catch (error) {
    await file.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    throw error;
  } finally {
    progress?.stop();
  }
  return written;
}
