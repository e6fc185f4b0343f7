const BASE62 = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

function encodeBase62(value: bigint): string {
  if (value === 0n) return '0';
  let out = '';
  let rest = value;
  while (rest > 0n) {
    out = BASE62[Number(rest % 62n)] + out;
    rest /= 62n;
  }
  return out;
}

/**
 * The platform's URL signature (`@apify/utilities` `createHmacSignature`): HMAC-SHA256 in hex, first
 * 30 hex digits, base62. Web Crypto keeps it working outside Node.
 */
export async function createHmacSignature(secretKey: string, message: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await globalThis.crypto.subtle.importKey(
    'raw',
    encoder.encode(secretKey),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const digest = new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', key, encoder.encode(message)));
  const hex = Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return encodeBase62(BigInt(`0x${hex.slice(0, 30)}`));
}

function base64Url(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The signature of a whole storage's public URL (`@apify/utilities` `createStorageContentSignature`):
 * `base64url("<version>.<expiresAt>.<hmac>")`, where `expiresAt` is 0 for a URL that never expires.
 */
export async function createStorageContentSignature(options: {
  resourceId: string;
  urlSigningSecretKey: string;
  expiresInMillis?: number | undefined;
  version?: number;
}): Promise<string> {
  const version = options.version ?? 0;
  const expiresAt = options.expiresInMillis ? Date.now() + options.expiresInMillis : 0;
  const hmac = await createHmacSignature(
    options.urlSigningSecretKey,
    `${version}.${expiresAt}.${options.resourceId}`,
  );
  return base64Url(`${version}.${expiresAt}.${hmac}`);
}
