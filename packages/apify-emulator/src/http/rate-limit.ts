import { errorResponse } from '../errors.js';

/**
 * The platform's per-resource limit (one dataset, store, queue, run…): a fixed one-second window per
 * resource path, answering 429 rate-limit-exceeded past the limit.
 */
export class RateLimiter {
  private readonly perSecond: number;
  private window = 0;
  private counts = new Map<string, number>();

  constructor(perSecond: number) {
    this.perSecond = perSecond;
  }

  check(request: Request): Response | null {
    const second = Math.floor(Date.now() / 1000);
    if (second !== this.window) {
      this.window = second;
      this.counts = new Map();
    }
    const resource = new URL(request.url).pathname.split('/').slice(0, 4).join('/');
    const count = (this.counts.get(resource) ?? 0) + 1;
    this.counts.set(resource, count);
    if (count <= this.perSecond) return null;
    return errorResponse(
      429,
      'rate-limit-exceeded',
      `You have exceeded the rate limit of ${this.perSecond} requests per second for ${resource}`,
      { 'x-ratelimit-limit': String(this.perSecond) },
    );
  }
}
