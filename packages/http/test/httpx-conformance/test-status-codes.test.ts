// HTTPX tests/test_status_codes.py (0.28): the `codes` table and its reason phrases.
import { describe, expect, it } from 'vitest';
import { codes } from '../../src/index.js';

describe('HTTPX tests/test_status_codes.py', () => {
  it('test_status_code_as_int', () => {
    expect(codes.NOT_FOUND).toBe(404);
    expect(String(codes.NOT_FOUND)).toBe('404');
  });

  it('test_status_code_phrase_lookup', () => {
    // Looked up by a name held in a string, as `codes["NOT_FOUND"]` in HTTPX.
    const name: string = 'NOT_FOUND';
    expect((codes as Readonly<Record<string, unknown>>)[name]).toBe(404);
  });

  it('test_reason_phrase_for_status_code', () => {
    expect(codes.getReasonPhrase(404)).toBe('Not Found');
  });

  it('test_reason_phrase_for_unknown_status_code', () => {
    expect(codes.getReasonPhrase(499)).toBe('');
  });
});
