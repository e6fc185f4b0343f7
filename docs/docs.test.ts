import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CodeBlock, collectBlocks, extractBlocks, KNOWN_FLAGS, where } from './support/code-blocks.js';
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

describe('the block extractor', () => {
  it('finds ts and typescript fences with their flags and Markdown line, and nothing else', () => {
    const markdown = [
      '# Title', // 1
      '```ts runnable', // 2
      'const a = 1;', // 3
      '```', // 4
      '````md', // 5
      '```ts', // 6
      'not code: inside a longer fence', // 7
      '```', // 8
      '````', // 9
      '```js', // 10
      'const js = true;', // 11
      '```', // 12
      '  ```typescript no-check', // 13
      '  let b: string;', // 14
      '  ```', // 15
    ].join('\n');
    expect(extractBlocks('x.md', markdown)).toEqual([
      { file: 'x.md', line: 3, flags: new Set(['runnable']), code: 'const a = 1;\n' },
      { file: 'x.md', line: 14, flags: new Set(['no-check']), code: 'let b: string;\n' },
    ]);
  });

  it('expects the commented output in order, whitespace-insensitive, up to an ellipsis', () => {
    const code =
      'console.log(a); // 200 { ok: true }\nconsole.log(b); // second… and more\nf(); // not output\n';
    expect(expectations(code)).toEqual(['200 { ok: true }', 'second']);
    expect(missingExpectation('200 {\n  ok: true\n}\nsecond line\n', expectations(code))).toBeNull();
    expect(missingExpectation('second\n200 { ok: true }\n', expectations(code))).toBe('second');
  });
});

describe('TypeScript blocks of the docs, the root README and the package READMEs', () => {
  it('finds the blocks, with known flags only', () => {
    // Floors, so a broken extractor cannot pass by finding nothing (61 and 39 when written).
    expect(blocks.length).toBeGreaterThanOrEqual(55);
    expect(runnable.length).toBeGreaterThanOrEqual(35);
    const unknown = blocks.flatMap((block) =>
      [...block.flags].filter((flag) => !KNOWN_FLAGS.has(flag)).map((flag) => `${where(block)}: ${flag}`),
    );
    expect(unknown).toEqual([]);
  });

  it('skips (no-check) at most two blocks, and never a runnable one', () => {
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
