/** An API-level failure: rendered as `{"error":{"type","message"}}` with its status, like the platform. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly type: string;

  constructor(status: number, type: string, message: string) {
    super(message);
    this.status = status;
    this.type = type;
  }
}

/** Bad options given to the emulator itself (not to the API): fails early, naming the bad value. */
export class EmulatorError extends Error {
  override readonly name = 'EmulatorError';
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function errorBody(type: string, message: string): string {
  return JSON.stringify({ error: { type, message } });
}

export function errorResponse(
  status: number,
  type: string,
  message: string,
  headers?: HeadersInit,
): Response {
  const h = new Headers(headers);
  h.set('content-type', 'application/json; charset=utf-8');
  return new Response(errorBody(type, message), { status, headers: h });
}

export function notFound(what: string): ApiError {
  return new ApiError(404, 'record-not-found', `${what} was not found`);
}

export function invalidParameter(message: string): ApiError {
  return new ApiError(400, 'invalid-parameter', message);
}
