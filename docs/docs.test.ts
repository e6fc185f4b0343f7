import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CodeBlock, collectBlocks, KNOWN_FLAGS, where } from './support/code-blocks.js';
import {
  expectations,
  missingExpectation,
  type RunResult,
  runModule,
  transpile,
} from './support/run-block.js';
import { typeCheckBlocks } from './support/type-check.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const blocks = await collectBlocks(ROOT);
const checked = blocks.filter((block) => !block.flags.has('no-check'));
const runnable = blocks.filter((block) => block.flags.has('runnable'));

describe('TypeScript blocks of the docs, the root README and the package READMEs', () => {
  it('finds the blocks, with known flags only', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(30);
    expect(runnable.length).toBeGreaterThanOrEqual(12);
    const unknown = blocks.flatMap((block) =>
      [...block.flags].filter((flag) => !KNOWN_FLAGS.has(flag)).map((flag) => `${where(block)}: ${flag}`),
    );
    expect(unknown).toEqual([]);
  });

  it('excludes (no-check) only blocks that are not TypeScript programs, and at most two', () => {
    expect(blocks.filter((block) => block.flags.has('no-check')).map(where).length).toBeLessThanOrEqual(2);
    expect(runnable.filter((block) => block.flags.has('no-check')).map(where)).toEqual([]);
  });

  describe('type-check under the project flags (one program, built dist/ declarations)', () => {
    let diagnostics: Map<CodeBlock, string[]>;
    beforeAll(() => {
      for (const name of ['http', 'apify-client', 'apify-emulator']) {
        if (!existsSync(join(ROOT, 'packages', name, 'dist', 'index.d.ts'))) {
          throw new Error(`packages/${name}/dist is missing: run \`npx tsc --build\` (npm test does) first`);
        }
      }
      diagnostics = typeCheckBlocks(ROOT, checked);
    }, 60_000);

    it.each(checked.map((block) => [where(block), block] as const))('%s', (_where, block) => {
      expect(diagnostics.get(block)).toEqual([]);
    });
  });

  describe('runnable blocks exit 0 and print what their comments promise', () => {
    const results = new Map<CodeBlock, RunResult>();
    let scratch = '';
    beforeAll(async () => {
      // Inside the repo (ignored node_modules/.cache), so `@pluggable/*` resolve to the workspace.
      await mkdir(join(ROOT, 'node_modules', '.cache'), { recursive: true });
      scratch = await mkdtemp(join(ROOT, 'node_modules', '.cache', 'docs-test-'));
      // Two at a time: each block is a node process starting its own loopback servers.
      const queue = [...runnable];
      const worker = async () => {
        for (let block = queue.shift(); block !== undefined; block = queue.shift()) {
          const cwd = await mkdtemp(join(scratch, 'block-'));
          results.set(block, await runModule(transpile(block.code), cwd, 30_000));
        }
      };
      await Promise.all([worker(), worker()]);
    }, 120_000);
    afterAll(async () => {
      if (scratch !== '') await rm(scratch, { recursive: true, force: true });
    });

    it.each(runnable.map((block) => [where(block), block] as const))('%s', (_where, block) => {
      const result = results.get(block);
      const report = `${where(block)}\n--- stdout\n${result?.stdout}\n--- stderr\n${result?.stderr}`;
      expect(result?.exitCode, report).toBe(0);
      expect(missingExpectation(result?.stdout ?? '', expectations(block.code)), report).toBeNull();
    });
  });
});
