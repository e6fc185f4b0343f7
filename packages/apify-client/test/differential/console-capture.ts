/** Runs `fn` with console output collected instead of printed; returns both. */
export async function captureConsole<T>(fn: () => Promise<T>): Promise<{ value: T; lines: string[] }> {
  const lines: string[] = [];
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const saved = methods.map((name) => console[name]);
  for (const name of methods) {
    console[name] = (...args: unknown[]) => {
      lines.push(`${name}: ${args.map(String).join(' ')}`);
    };
  }
  try {
    return { value: await fn(), lines };
  } finally {
    methods.forEach((name, index) => {
      console[name] = saved[index] as (typeof console)[typeof name];
    });
  }
}
