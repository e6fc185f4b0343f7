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

/** One kind of write, as the durable-writes test drives it. */
export interface WriteCase {
  name: string;
  /** Makes what the write works on; returns the IDs the write and the reads need. */
  prepare(api: Api): Promise<Record<string, string>>;
  write(api: Api, ids: Record<string, string>): Promise<Reply>;
  /** What a reader sees of the write's target. */
  read(api: Api, ids: Record<string, string>): Promise<unknown>;
  /** What the read shows once the write is stored: exactly one of it. */
  stored(ids: Record<string, string>): unknown;
  /**
   * The type of journal record whose fsync fails (`platform`: a platform object's), so that the failure
   * hits the write itself, not a storage the request makes first; default: the next fsync.
   */
  failing?: string;
  /**
   * False when a clean restart itself changes what is read (it ends unfinished runs): then only the
   * running emulator is checked.
   */
  restart?: boolean;
}
