/** Calls the emulator's own API through its full pipeline, so the console shows exactly what the API serves. */
export type ApiCall = (request: Request) => Promise<Response>;

export class ConsoleApi {
  constructor(
    private readonly call: ApiCall,
    private readonly token: string,
    private readonly origin: string,
  ) {}

  raw(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${this.token}`);
    return this.call(new Request(new URL(path, this.origin), { ...init, headers }));
  }

  async json<T>(path: string, init: RequestInit = {}): Promise<T> {
    const response = await this.raw(path, init);
    const body = (await response.json()) as { data?: T; error?: { message: string } };
    if (!response.ok) throw new Error(body.error?.message ?? `API answered ${response.status}`);
    return body.data as T;
  }
}

export interface Page<T> {
  total: number;
  offset: number;
  limit: number;
  items: T[];
}
