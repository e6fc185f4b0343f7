// A plain GET must not pay for what it does not use: tough-cookie, mime-types and
// @opentelemetry/api (an optional peer) load on first use.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpServer, type TestServer } from './support/servers.js';

const INDEX = new URL('../dist/index.js', import.meta.url).href;

/** Runs `body` in a fresh process after importing the built package; prints which heavy modules loaded. */
async function loadedAfter(body: string, url: string): Promise<string[]> {
  const script = `
    import { createRequire } from 'node:module';
    const http = await import(${JSON.stringify(INDEX)});
    const url = ${JSON.stringify(url)};
    ${body}
    const loaded = Object.keys(createRequire(import.meta.url).cache)
      .map((path) => /node_modules\\/(tough-cookie|mime-types|mime-db|@opentelemetry\\/api)\\//.exec(path)?.[1])
      .filter(Boolean);
    console.log(JSON.stringify([...new Set(loaded)].sort()));
    process.exit(0);
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
  });
  return JSON.parse(stdout) as string[];
}

let withCookie: TestServer;
let plain: TestServer;
beforeAll(async () => {
  withCookie = await httpServer((_req, res) => res.writeHead(200, { 'Set-Cookie': 'seen=1' }).end('ok'));
  plain = await httpServer((_req, res) => res.end('ok'));
});
afterAll(async () => {
  await withCookie.close();
  await plain.close();
});

describe('lazily loaded dependencies', () => {
  it('importing the package and sending a GET loads neither tough-cookie nor mime-types', async () => {
    expect(await loadedAfter('await http.get(url);', plain.url)).toEqual([]);
  });

  it('a Set-Cookie in a response loads tough-cookie, and only it', async () => {
    const body = 'const client = new http.Client(); await client.get(url); await client.close();';
    expect(await loadedAfter(body, withCookie.url)).toEqual(['tough-cookie']);
  });

  it('a named file part loads mime-types to guess its type', async () => {
    const body = "await http.post(url, { files: { f: ['notes.txt', 'x'] } });";
    expect(await loadedAfter(body, plain.url)).toEqual(['mime-db', 'mime-types']);
  });

  it('a client without telemetry never loads @opentelemetry/api; openTelemetry() loads it', async () => {
    const plainGet = 'const client = new http.Client(); await client.get(url); await client.close();';
    expect(await loadedAfter(plainGet, plain.url)).toEqual([]);
    const traced =
      'const client = new http.Client({ telemetry: http.openTelemetry() }); await client.get(url); await client.close();';
    expect(await loadedAfter(traced, plain.url)).toEqual(['@opentelemetry/api']);
  });

  it('no built module imports @opentelemetry/api: only the lazy loader requires it', async () => {
    const dist = fileURLToPath(new URL('../dist/', import.meta.url));
    const files = (await readdir(dist, { recursive: true })).filter((file) => file.endsWith('.js'));
    const naming: string[] = [];
    for (const file of files) {
      const code = await readFile(`${dist}${file}`, 'utf8');
      if (/\b(?:from|import|require)\s*\(?\s*['"]@opentelemetry\/api['"]/.test(code)) naming.push(file);
    }
    expect(naming).toEqual(['internal/lazy-dependencies.js']);
  });

  it('without @opentelemetry/api installed, openTelemetry() is a UsageError that says what to install', async () => {
    // The package copied (not linked: Node would resolve from the real path) into a folder whose
    // node_modules has its dependencies and nothing else.
    const root = await mkdtemp(join(tmpdir(), 'no-otel-'));
    try {
      const here = fileURLToPath(new URL('..', import.meta.url));
      const target = join(root, 'node_modules', '@pluggable', 'http');
      await mkdir(target, { recursive: true });
      await cp(join(here, 'dist'), join(target, 'dist'), { recursive: true });
      await cp(join(here, 'package.json'), join(target, 'package.json'));
      const manifest = JSON.parse(await readFile(join(here, 'package.json'), 'utf8')) as {
        dependencies: Record<string, string>;
      };
      for (const name of Object.keys(manifest.dependencies)) {
        // Where npm put it: the package's own node_modules, else the workspace root's.
        const own = join(here, 'node_modules', name);
        const installed = existsSync(own) ? own : join(here, '..', '..', 'node_modules', name);
        await symlink(installed, join(root, 'node_modules', name), 'dir');
      }
      const script = `
        const http = await import('@pluggable/http');
        const plain = new http.Client();
        await plain.close();
        try { http.openTelemetry(); console.log('no error'); }
        catch (error) { console.log(error.name, error.message); }
      `;
      const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
        cwd: root,
      });
      expect(stdout.trim()).toBe(
        'UsageError openTelemetry() needs @opentelemetry/api, an optional peer dependency of @pluggable/http: npm install @opentelemetry/api',
      );
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
