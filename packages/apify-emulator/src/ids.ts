import { createHash, randomInt } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const ID_PATTERN = /^[a-zA-Z0-9]{17}$/;

/** A fresh platform-style ID: 17 alphanumeric characters from a CSPRNG, so IDs can act as access keys. */
export function newId(): string {
  let id = '';
  for (let i = 0; i < 17; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}

export function isId(value: string): boolean {
  return ID_PATTERN.test(value);
}

/** The request-ID rule every Apify client and emulator shares, so IDs computed client-side match ours. */
export function requestIdFromUniqueKey(uniqueKey: string): string {
  return createHash('sha256').update(uniqueKey, 'utf8').digest('base64').replace(/[+/=]/g, '').slice(0, 15);
}
