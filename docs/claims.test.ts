// Claims in the prose of the docs, read from the Markdown and checked against what the code does.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client } from '@pluggable/http';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const read = (path: string): Promise<string> => readFile(join(ROOT, path), 'utf8');
/** Prose is wrapped at any space; compare it with the line breaks folded. */
const prose = (text: string): string => text.replace(/\s+/g, ' ');

describe('README: running an example yourself', () => {
  it('`npx tsx example.ts` runs the first example as saved, on this Node.js', async () => {
    const readme = await read('README.md');
    expect(prose(readme)).toContain(
      'save it as `example.ts` in a project that depends on the packages (or anywhere in this ' +
        'repository, after `npm ci`) and run `npx tsx example.ts`',
    );
    const block = /```ts runnable\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const expected = /console\.log\(.*\); \/\/ (.*)$/m.exec(block)?.[1];
    expect(expected).toBe("200 { path: '/v1/users?page=2' }");
    // Inside the repository, so `@pluggable/http` resolves through the workspace links.
    const folder = await mkdtemp(join(ROOT, 'docs', '.example-'));
    try {
      await writeFile(join(folder, 'example.ts'), block);
      const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
      const { stdout } = await promisify(execFile)(npx, ['tsx', 'example.ts'], { cwd: folder });
      expect(stdout).toBe(`${expected}\n`);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('clients guide: a string in `files`', () => {
  it('is uploaded as its text, never opened as a path', async () => {
    const guide = prose(await read('docs/guides/clients.md'));
    expect(guide).toContain(
      'a string (uploaded as its UTF-8 text, never opened as a path: as in HTTPX, a string is content)',
    );

    const server = http.createServer((req, res) => req.pipe(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      await using client = new Client();
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      // A path that exists: were strings opened as paths, the part would hold this file's source.
      const path = fileURLToPath(import.meta.url);
      const response = await client.post(url, { files: { upload: ['notes.txt', path] } });
      const part = response.text.split('\r\n\r\n')[1]?.split('\r\n')[0];
      expect(part).toBe(path);
    } finally {
      server.close();
    }
  });
});
