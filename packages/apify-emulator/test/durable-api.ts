/** Plain fetch() calls to an emulator's API, for tests that look at each write's status and body. */
export interface Reply {
  status: number;
  body: unknown;
}

export interface Api {
  /** The emulator's URL, without `/v2`. */
  readonly base: string;
  call(method: string, path: string, body?: unknown): Promise<Reply>;
  /** The call's `data`; throws, with the status and body, unless it answered 2xx. */
  ok(method: string, path: string, body?: unknown): Promise<Record<string, unknown>>;
}

export function openApi(base: string): Api {
  const call = async (method: string, path: string, body?: unknown): Promise<Reply> => {
    const response = await fetch(`${base}/v2/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : JSON.parse(text) };
  };
  return {
    base,
    call,
    async ok(method, path, body) {
      const reply = await call(method, path, body);
      if (reply.status >= 300)
        throw new Error(`${method} ${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
      return ((reply.body as { data?: Record<string, unknown> } | null)?.data ?? {}) as Record<
        string,
        unknown
      >;
    },
  };
}
