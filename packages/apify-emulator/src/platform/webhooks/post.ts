import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface PostResult {
  status: number;
  body: string;
}

/** The part of a response body a dispatch keeps: enough to debug a receiver, bounded in memory. */
export const MAX_RESPONSE_BODY_CHARS = 10_000;

/**
 * One HTTP POST of a webhook: resolves with the status and the (bounded) body, rejects on a network
 * error, a TLS error (unless `ignoreSslErrors`), the timeout, or `signal`.
 */
export function postWebhook(
  url: URL,
  headers: Record<string, string>,
  body: string,
  options: { timeoutMs: number; ignoreSslErrors: boolean; signal: AbortSignal },
): Promise<PostResult> {
  const bytes = Buffer.from(body, 'utf8');
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(bytes.length) },
      // One connection per call: webhook calls are rare, and a pooled idle socket would outlive close().
      agent: false,
      signal: options.signal,
      ...(url.protocol === 'https:' ? { rejectUnauthorized: !options.ignoreSslErrors } : {}),
    });
    req.setTimeout(options.timeoutMs, () => {
      req.destroy(new Error(`The receiver did not answer within ${options.timeoutMs} ms`));
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (text.length < MAX_RESPONSE_BODY_CHARS) text += chunk;
      });
      res.on('error', reject);
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: text.slice(0, MAX_RESPONSE_BODY_CHARS) }),
      );
    });
    req.end(bytes);
  });
}
