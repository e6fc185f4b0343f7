import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import type { VerifyInit } from './tls.js';

// OpenSSL's variables for "trust these CAs instead of the built-in ones", honoured by HTTPX when
// trust_env is on. Node reads neither, only NODE_EXTRA_CA_CERTS (which adds to the built-in set).
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function certificatesIn(text: string): string[] {
  return text.match(PEM_CERTIFICATE) ?? [];
}

function fromFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new UsageError(`SSL_CERT_FILE names '${path}', which cannot be read`, { cause });
  }
  const found = certificatesIn(text);
  if (found.length === 0)
    throw new UsageError(`SSL_CERT_FILE names '${path}', which holds no PEM certificate`);
  return found;
}

/** Every PEM certificate in the folder's files (OpenSSL's hashed links and plain *.pem alike). */
function fromDirectory(path: string): string[] {
  let names: string[];
  try {
    names = readdirSync(path);
  } catch (cause) {
    throw new UsageError(`SSL_CERT_DIR names '${path}', which cannot be read as a folder`, { cause });
  }
  const found = new Set<string>();
  for (const name of names.sort()) {
    const file = join(path, name);
    // Unreadable or non-certificate files are skipped, as OpenSSL skips them in a CA folder.
    try {
      if (!statSync(file).isFile()) continue;
      for (const pem of certificatesIn(readFileSync(file, 'utf8'))) found.add(pem);
    } catch {}
  }
  if (found.size === 0) throw new UsageError(`SSL_CERT_DIR names '${path}', which holds no PEM certificate`);
  return [...found];
}

/**
 * The `verify` setting a transport uses: with `trustEnv` and default verification, the CAs named
 * by SSL_CERT_FILE and SSL_CERT_DIR replace Node's built-in ones, as they do in OpenSSL and HTTPX.
 * An explicit `verify` (false, a bundle path, TLS options) always wins over the environment.
 */
export function verifyFromEnv(
  verify: VerifyInit | undefined,
  trustEnv: boolean | undefined,
  env: NodeJS.ProcessEnv = process.env,
): VerifyInit | undefined {
  if ((verify !== undefined && verify !== true) || trustEnv === false) return verify;
  const file = env.SSL_CERT_FILE ?? '';
  const dir = env.SSL_CERT_DIR ?? '';
  if (file === '' && dir === '') return verify;
  const ca = [...(file === '' ? [] : fromFile(file)), ...(dir === '' ? [] : fromDirectory(dir))];
  return { ca };
}
