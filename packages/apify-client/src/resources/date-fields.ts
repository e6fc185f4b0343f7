/**
 * Turns every `…At` field into a `Date`, as the official client does: nested objects and arrays
 * too, but no deeper than its depth limit (3), so large free-form payloads stay untouched. A value
 * that is not a parseable date, or is empty, stays as it is.
 */
export function parseDateFields(input: unknown, depth = 0): unknown {
  if (depth > 3) return input;
  if (Array.isArray(input)) return input.map((child) => parseDateFields(child, depth + 1));
  if (typeof input !== 'object' || input === null) return input;
  const output: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (key.endsWith('At')) {
      if (value) {
        const date = new Date(value as string | number);
        output[key] = Number.isNaN(date.getTime()) ? value : date;
      } else {
        output[key] = value;
      }
    } else if (typeof value === 'object' && value !== null) {
      output[key] = parseDateFields(value, depth + 1);
    } else {
      output[key] = value;
    }
  }
  return output;
}
