import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../errors.js';

/**
 * `tools/encode-and-sign` and `tools/decode-and-verify`: a value signed with a secret that each
 * emulator draws when it starts, so only the emulator that encoded a value verifies it.
 * The encoded form is base64 of `{"payload", "signature"}`, the payload base64url of
 * `{"data", "userId"}` and the signature an HMAC-SHA256 of the payload.
 */
export class Signer {
  private readonly secret = randomBytes(32);

  encode(data: unknown, userId: string): string {
    const payload = Buffer.from(JSON.stringify({ data, userId })).toString('base64url');
    const envelope = { payload, signature: this.sign(payload) };
    return Buffer.from(JSON.stringify(envelope)).toString('base64');
  }

  /** Throws `400 invalid-value` for anything this emulator did not encode, tampered or not. */
  decode(encoded: string): { data: unknown; userId: string | null } {
    const envelope = parseBase64Json(encoded) as { payload?: unknown; signature?: unknown } | null;
    const payload = envelope?.payload;
    const signature = envelope?.signature;
    if (typeof payload !== 'string' || typeof signature !== 'string' || !this.verify(payload, signature)) {
      throw invalidEncoded();
    }
    const content = parseBase64Json(payload, 'base64url') as { data?: unknown; userId?: unknown } | null;
    if (content === null || !('data' in content)) throw invalidEncoded();
    return { data: content.data, userId: typeof content.userId === 'string' ? content.userId : null };
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }

  private verify(payload: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

function invalidEncoded(): ApiError {
  return new ApiError(
    400,
    'invalid-value',
    'The encoded value is not valid: it was not encoded by this emulator, or it was changed since',
  );
}

function parseBase64Json(text: string, encoding: 'base64' | 'base64url' = 'base64'): unknown {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, encoding).toString('utf8'));
    return typeof value === 'object' && value !== null ? value : null;
  } catch {
    return null;
  }
}
