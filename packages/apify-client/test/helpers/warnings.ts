import { vi } from 'vitest';

export interface WarningCapture {
  /** `code` of every warning emitted since the capture started (the message when there is none). */
  readonly codes: string[];
  readonly messages: string[];
  stop(): void;
}

/**
 * Takes over `process.emitWarning`, so warnings a test provokes on purpose are asserted on rather
 * than printed to the test output.
 */
export function captureWarnings(): WarningCapture {
  const codes: string[] = [];
  const messages: string[] = [];
  const spy = vi.spyOn(process, 'emitWarning').mockImplementation(((
    warning: string | Error,
    options?: { code?: string } | string,
  ) => {
    const message = typeof warning === 'string' ? warning : warning.message;
    const code = typeof options === 'object' ? options.code : undefined;
    messages.push(message);
    codes.push(code ?? message);
  }) as typeof process.emitWarning);
  return { codes, messages, stop: () => spy.mockRestore() };
}
