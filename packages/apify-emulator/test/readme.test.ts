import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

/** Every ```js block of the README, with the output its `console.log(…); // expected` comments promise. */
async function examples(): Promise<{ code: string; expected: string }[]> {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  return [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((match) => {
    const code = match[1] ?? '';
    const expected = [...code.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((m) => `${m[1]}\n`).join('');
    return { code, expected };
  });
}

describe('README examples', async () => {
  const all = await examples();
  // Blocks using @pluggable/apify-client are left out: this suite must not depend on another package's build.
  const ours = all.filter((e) => !e.code.includes("from '@pluggable/apify-client'"));

  it('has runnable examples for the official client', () => {
    expect(all.length).toBe(3);
    expect(ours.length).toBe(2);
  });

  it.each(ours.map((e, i) => [i, e] as const))(
    'example %i runs and prints what it promises',
    async (_i, example) => {
      expect(example.expected).not.toBe('');
      // Run from the package folder so `@pluggable/apify-emulator` resolves to this package's dist.
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', example.code], {
        cwd: PACKAGE_DIR,
        timeout: 20_000,
      });
      expect(stdout).toBe(example.expected);
    },
  );
});
