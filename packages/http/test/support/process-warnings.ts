import { afterAll, beforeAll, expect, vi } from 'vitest';

export interface CapturedWarning {
  code: string | undefined;
  message: string;
}

/**
 * Captures the process warnings emitted while it is active, instead of letting Node print them:
 * a test that provokes a warning on purpose asserts on it, and `npm test` output stays clean.
 */
export function captureProcessWarnings(): { warnings: CapturedWarning[]; [Symbol.dispose](): void } {
  const warnings: CapturedWarning[] = [];
  const spy = vi.spyOn(process, 'emitWarning').mockImplementation(((
    warning: string | Error,
    options?: string | { code?: string },
  ) => {
    const code = typeof options === 'object' ? options.code : undefined;
    warnings.push({ code, message: typeof warning === 'string' ? warning : warning.message });
  }) as typeof process.emitWarning);
  return { warnings, [Symbol.dispose]: () => spy.mockRestore() };
}

const SOCKS5_EXPERIMENTAL = 'SOCKS5 proxy support is experimental and subject to change';

/**
 * For a test file that goes through a SOCKS5 proxy: undici warns, once per process, that its SOCKS5
 * support is experimental. The file captures that warning (and fails on any other) instead of
 * printing it.
 */
export function captureSocks5Warning(): void {
  let captured: ReturnType<typeof captureProcessWarnings> | undefined;
  beforeAll(() => {
    captured = captureProcessWarnings();
  });
  afterAll(() => {
    captured?.[Symbol.dispose]();
    expect(captured?.warnings.filter((w) => w.message !== SOCKS5_EXPERIMENTAL)).toEqual([]);
  });
}
