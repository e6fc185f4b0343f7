/**
 * A run input: JSON by default, with functions sent as their source text (the official client's
 * `stringifyFunctions`), or raw with the caller's content type.
 */
export function inputBody(
  input: unknown,
  contentType: string | undefined,
): { data?: string | Uint8Array; headers?: Record<string, string> } {
  if (input === undefined) return {};
  if (contentType !== undefined && !/^application\/json\b/i.test(contentType)) {
    const data = typeof input === 'string' || input instanceof Uint8Array ? input : JSON.stringify(input);
    return { data, headers: { 'Content-Type': contentType } };
  }
  if (typeof input === 'string' || input instanceof Uint8Array) {
    return { data: input, headers: { 'Content-Type': contentType ?? 'application/json; charset=utf-8' } };
  }
  const data = JSON.stringify(input, (_key, value: unknown) =>
    typeof value === 'function' ? value.toString() : value,
  );
  return { data, headers: { 'Content-Type': contentType ?? 'application/json; charset=utf-8' } };
}
