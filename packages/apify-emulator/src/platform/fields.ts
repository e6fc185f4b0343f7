import { ApiError } from '../errors.js';

/** Field checks shared by the platform bodies (schedules, webhooks): each failure names the field. */

export type Fields = Record<string, unknown>;

function invalid(message: string): ApiError {
  return new ApiError(400, 'invalid-value', message);
}

export function requireObject(value: unknown, what: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid(`${what} must be a JSON object, got ${JSON.stringify(value) ?? typeof value}`);
  return value as Fields;
}

export function optionalString(body: Fields, field: string, what: string): string | null | undefined {
  const value = body[field];
  if (value === undefined || value === null) return value;
  if (typeof value !== 'string')
    throw invalid(`${what}.${field} must be a string, got ${JSON.stringify(value)}`);
  return value;
}

export function optionalBoolean(body: Fields, field: string, what: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean')
    throw invalid(`${what}.${field} must be a boolean, got ${JSON.stringify(value)}`);
  return value;
}

export function optionalNumber(body: Fields, field: string, what: string, min: number): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min)
    throw invalid(`${what}.${field} must be a number of at least ${min}, got ${JSON.stringify(value)}`);
  return value;
}

export function requiredString(body: Fields, field: string, what: string): string {
  const value = optionalString(body, field, what);
  if (value === undefined || value === null || value.trim() === '')
    throw invalid(`${what}.${field} is required: a non-empty string`);
  return value;
}
