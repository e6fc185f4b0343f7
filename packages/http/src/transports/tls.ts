import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { UsageError } from '../errors.js';

export type VerifyInit = boolean | string | ConnectionOptions;
export type CertInit =
  | string
  | readonly [certFile: string, keyFile: string]
  | readonly [string, string, string];

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (cause) {
    throw new UsageError(`Cannot read ${what} file '${path}'`, { cause });
  }
}

/**
 * TLS options for every connection of a transport, built once (HTTPX issue #2298: per-client
 * context building is expensive). `verify` is on by default; a string is a CA bundle path.
 */
export function tlsOptions(verify: VerifyInit = true, cert?: CertInit): ConnectionOptions {
  let options: ConnectionOptions;
  if (verify === true) options = { rejectUnauthorized: true };
  else if (verify === false) options = { rejectUnauthorized: false };
  else if (typeof verify === 'string')
    options = { rejectUnauthorized: true, ca: readPem(verify, 'CA bundle') };
  else options = { rejectUnauthorized: true, ...verify };

  if (cert !== undefined) {
    if (typeof cert === 'string') {
      const pem = readPem(cert, 'client certificate');
      options = { ...options, cert: pem, key: pem };
    } else {
      const [certFile, keyFile, passphrase] = cert;
      options = {
        ...options,
        cert: readPem(certFile, 'client certificate'),
        key: readPem(keyFile, 'client key'),
      };
      if (passphrase !== undefined) options.passphrase = passphrase;
    }
  }
  return options;
}
