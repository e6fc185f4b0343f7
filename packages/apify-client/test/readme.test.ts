import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');

/** `console.log(x); // expected` comments: the expected text, up to an ellipsis. */
function expectations(code: string): string[] {
  return [...code.matchAll(/console\.log\(.*\); \/\/ (.+)$/gm)].map((m) => (m[1] ?? '').split('…')[0] ?? '');
}

describe('README examples run against the emulator (built packages)', () => {
  it('has examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });

  it.each(blocks.map((code, index) => [index + 1, code] as const))('example %i', async (_index, code) => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', code], { cwd: packageDir });
    for (const expected of expectations(code)) expect(stdout).toContain(expected);
  });
});
