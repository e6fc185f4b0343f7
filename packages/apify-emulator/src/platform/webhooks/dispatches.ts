import { notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import { USER } from '../../storages/common.js';
import type { Clock, ClockTimer } from '../clock.js';
import { postWebhook } from './post.js';
import { renderHeaders, renderTemplate, type TemplateContext } from './template.js';
import type { Webhook } from './webhooks.js';

export interface DispatchCall {
  startedAt: string;
  finishedAt: string | null;
  errorMessage: string | null;
  responseStatus: number | null;
  responseBody: string | null;
}

export interface Dispatch {
  id: string;
  webhookId: string;
  createdAt: string;
  status: 'ACTIVE' | 'SUCCEEDED' | 'FAILED';
  eventType: string;
  eventData: Record<string, string> | null;
  calls: DispatchCall[];
  webhook: { requestUrl: string; isAdHoc: boolean };
}

/** How webhook calls are retried. The defaults are the platform's: 1 min, doubling, 11 retries, 30 s. */
export interface DeliveryPolicy {
  firstRetryDelayMs: number;
  maxRetries: number;
  timeoutMs: number;
}

export const DEFAULT_DELIVERY: DeliveryPolicy = {
  firstRetryDelayMs: 60_000,
  maxRetries: 11,
  timeoutMs: 30_000,
};

/** What one dispatch sends, rendered once when the event happens. */
interface Rendered {
  url: URL;
  headers: Record<string, string>;
  body: string;
}

/** Webhook dispatches: one per webhook and event, each a real POST retried with backoff until a 2xx. */
export class Dispatches {
  private readonly all: Dispatch[] = [];
  private readonly timers = new Set<ClockTimer>();
  private readonly closing = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly clock: Clock,
    private readonly policy: DeliveryPolicy,
  ) {}

  /** Puts a dispatch read back from the storage folder in place (it is not sent again). */
  adopt(dispatch: Dispatch): void {
    this.all.push(dispatch);
  }

  list(): Dispatch[] {
    return this.all;
  }

  require(id: string): Dispatch {
    const dispatch = this.all.find((d) => d.id === id);
    if (dispatch === undefined) throw notFound(`Webhook dispatch '${id}'`);
    return dispatch;
  }

  ofWebhook(webhookId: string): Dispatch[] {
    return this.all.filter((d) => d.webhookId === webhookId);
  }

  /**
   * Records a dispatch for an event and sends its first call on the next tick of the clock, retrying on
   * failure. A test dispatch (`test: true`) sends its one call at once and is never retried, so the
   * test endpoint can answer with the call's outcome.
   */
  dispatch(
    webhook: Webhook,
    event: { eventType: string; eventData: Record<string, string> | null; resource: unknown },
    test = false,
  ): { dispatch: Dispatch; delivered: Promise<void> } {
    const createdAtMs = this.clock.now();
    const dispatch: Dispatch = {
      id: newId(),
      webhookId: webhook.id,
      createdAt: new Date(createdAtMs).toISOString(),
      status: 'ACTIVE',
      eventType: event.eventType,
      eventData: event.eventData,
      calls: [],
      webhook: { requestUrl: webhook.requestUrl, isAdHoc: webhook.isAdHoc },
    };
    this.all.push(dispatch);
    const context: TemplateContext = {
      userId: USER.id,
      createdAt: dispatch.createdAt,
      eventType: event.eventType,
      eventData: event.eventData,
      resource: event.resource,
      globals: { dateISO: dispatch.createdAt, dateUnix: Math.floor(createdAtMs / 1000) },
    };
    let rendered: Rendered;
    try {
      rendered = render(webhook, dispatch, context);
    } catch (error) {
      // A template that renders wrong for this event (a header that is not a string) fails the dispatch.
      const now = new Date(this.clock.now()).toISOString();
      dispatch.calls.push({
        startedAt: now,
        finishedAt: now,
        errorMessage: (error as Error).message,
        responseStatus: null,
        responseBody: null,
      });
      dispatch.status = 'FAILED';
      return { dispatch, delivered: Promise.resolve() };
    }
    const retries = test || webhook.doNotRetry ? 0 : this.policy.maxRetries;
    const delivered = new Promise<void>((resolve) => {
      const first = (): Promise<void> => this.call(dispatch, webhook, rendered, 0, retries, resolve);
      if (test) this.track(first());
      else this.later(0, first);
    });
    return { dispatch, delivered };
  }

  private later(ms: number, fn: () => Promise<void>): void {
    if (this.closing.signal.aborted) return;
    const timer = this.clock.setTimeout(() => {
      this.timers.delete(timer);
      return this.track(fn());
    }, ms);
    this.timers.add(timer);
  }

  private track(running: Promise<void>): Promise<void> {
    this.inFlight.add(running);
    return running.finally(() => this.inFlight.delete(running));
  }

  private async call(
    dispatch: Dispatch,
    webhook: Webhook,
    rendered: Rendered,
    attempt: number,
    retries: number,
    done: () => void,
  ): Promise<void> {
    const call: DispatchCall = {
      startedAt: new Date(this.clock.now()).toISOString(),
      finishedAt: null,
      errorMessage: null,
      responseStatus: null,
      responseBody: null,
    };
    dispatch.calls.push(call);
    try {
      const response = await postWebhook(rendered.url, rendered.headers, rendered.body, {
        timeoutMs: this.policy.timeoutMs,
        ignoreSslErrors: webhook.ignoreSslErrors,
        signal: this.closing.signal,
      });
      call.responseStatus = response.status;
      call.responseBody = response.body;
      if (response.status < 200 || response.status > 299)
        call.errorMessage = `The receiver answered ${response.status}; a webhook call needs a 2xx answer`;
    } catch (error) {
      call.errorMessage = `Cannot send the request: ${(error as Error).message}`;
    }
    call.finishedAt = new Date(this.clock.now()).toISOString();
    if (call.errorMessage === null) dispatch.status = 'SUCCEEDED';
    else if (attempt >= retries || this.closing.signal.aborted) dispatch.status = 'FAILED';
    else {
      const delay = this.policy.firstRetryDelayMs * 2 ** attempt;
      this.later(delay, () => this.call(dispatch, webhook, rendered, attempt + 1, retries, done));
      return;
    }
    done();
  }

  /** Cancels pending retries and in-flight calls; their dispatches stay as they are. */
  async close(): Promise<void> {
    this.closing.abort();
    for (const timer of this.timers) timer.cancel();
    this.timers.clear();
    await Promise.allSettled([...this.inFlight]);
  }
}

function render(webhook: Webhook, dispatch: Dispatch, context: TemplateContext): Rendered {
  const interpolate = webhook.shouldInterpolateStrings;
  const payload = renderTemplate(webhook.payloadTemplate, context, interpolate);
  const custom =
    webhook.headersTemplate === null ? {} : renderHeaders(webhook.headersTemplate, context, interpolate);
  // Header names are case-insensitive: the platform's own headers replace any spelling of them.
  const fixed: Record<string, string> = {
    'content-type': 'application/json',
    'x-apify-webhook': webhook.id,
    'x-apify-webhook-dispatch-id': dispatch.id,
    'x-apify-request-origin': 'WEBHOOK',
  };
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(custom)) {
    const lower = name.toLowerCase();
    if (lower !== 'host' && !(lower in fixed)) headers[name] = value;
  }
  return {
    url: new URL(webhook.requestUrl),
    headers: { ...headers, ...fixed },
    body: JSON.stringify(payload),
  };
}

export function dispatchObject(dispatch: Dispatch): Record<string, unknown> {
  return {
    id: dispatch.id,
    userId: USER.id,
    webhookId: dispatch.webhookId,
    createdAt: dispatch.createdAt,
    status: dispatch.status,
    eventType: dispatch.eventType,
    eventData: dispatch.eventData,
    calls: dispatch.calls.map((call) => ({ ...call })),
    webhook: { ...dispatch.webhook },
  };
}
