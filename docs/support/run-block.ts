import { execFile } from 'node:child_process';
import ts from 'typescript';

/** The outcome of running one block as an ES module in a child `node`. */
export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** TypeScript to JavaScript Node 20 runs (`await using` is lowered to the disposal helpers). */
export function transpile(code: string): string {
  return ts.transpileModule(code, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    reportDiagnostics: false,
  }).outputText;
}

/**
 * What a block promises to print: every `console.log(…); // expected` comment (the convention of
 * the package README tests), cut at a `…` that stands for "and more".
 */
export function expectations(code: string): string[] {
  return [...code.matchAll(/console\.log\(.*\);\s*\/\/ (.+)$/gm)].map((match) =>
    normalize((match[1] ?? '').split('…')[0] ?? ''),
  );
}

/** Whitespace-insensitive, so `util.inspect` line breaking does not matter. */
export function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The first expectation that is not in `stdout`, searching in order (each one after the previous
 * match), or `null` when all are there.
 */
export function missingExpectation(stdout: string, expected: readonly string[]): string | null {
  const output = normalize(stdout);
  let from = 0;
  for (const text of expected) {
    const at = output.indexOf(text, from);
    if (at === -1) return text;
    from = at + text.length;
  }
  return null;
}

/** Runs `node --input-type=module -e <js>` in `cwd` (inside the repo, so `@pluggable/*` resolve). */
export function runModule(js: string, cwd: string, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', js],
      { cwd, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const exitCode = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        const killed = error?.killed ? `\n(killed after ${timeoutMs} ms)` : '';
        resolve({ exitCode, stdout, stderr: `${stderr}${killed}` });
      },
    );
  });
}
