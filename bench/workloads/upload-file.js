// The file every peer uploads: created once per run in a temp dir, removed at the end.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';

export async function createUploadFile(size) {
  const dir = await mkdtemp(join(tmpdir(), 'pluggable-bench-'));
  const path = join(dir, 'upload.bin');
  const out = createWriteStream(path);
  const block = Buffer.alloc(1024 * 1024, 0x75);
  for (let left = size; left > 0; left -= block.length) {
    if (!out.write(left >= block.length ? block : block.subarray(0, left)))
      await new Promise((resolve) => out.once('drain', resolve));
  }
  out.end();
  await finished(out);
  return { path, remove: () => rm(dir, { recursive: true, force: true }) };
}
