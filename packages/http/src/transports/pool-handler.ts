import type { Dispatcher } from 'undici';

type Handler = Dispatcher.DispatchHandler;
type Args<K extends keyof Handler> = Parameters<NonNullable<Handler[K]>>;

/**
 * undici hands a dispatcher either kind of handler: the current one (`onRequestStart` …
 * `onResponseEnd`), or, when an undici dispatcher (an `Agent`, a `ProxyAgent`) passes a request
 * on, its older form (`onConnect` … `onComplete`). A handler keeps its kind: undici's `Client`
 * converts only the current kind.
 */
function isCurrent(handler: Handler): boolean {
  return typeof handler.onRequestStart === 'function' || typeof handler.onHeaders !== 'function';
}

/** Fails a handler that has not started, whichever kind it is. */
export function failHandler(handler: Handler, error: Error): void {
  if (isCurrent(handler)) handler.onResponseError?.(null as never, error);
  else handler.onError?.(error);
}

/** The handler, unchanged in kind, that also calls `finish` once when the request is over. */
export function trackedHandler(handler: Handler, finish: () => void): Handler {
  if (isCurrent(handler)) {
    return {
      onRequestStart: (...args: Args<'onRequestStart'>) => handler.onRequestStart?.(...args),
      onRequestUpgrade: (...args: Args<'onRequestUpgrade'>) => handler.onRequestUpgrade?.(...args),
      onResponseStart: (...args: Args<'onResponseStart'>) => handler.onResponseStart?.(...args),
      onResponseData: (...args: Args<'onResponseData'>) => handler.onResponseData?.(...args),
      onResponseEnd: (...args: Args<'onResponseEnd'>) => {
        finish();
        handler.onResponseEnd?.(...args);
      },
      onResponseError: (...args: Args<'onResponseError'>) => {
        finish();
        handler.onResponseError?.(...args);
      },
    };
  }
  return {
    onConnect: (...args: Args<'onConnect'>) => handler.onConnect?.(...args),
    onUpgrade: (...args: Args<'onUpgrade'>) => handler.onUpgrade?.(...args),
    onResponseStarted: () => handler.onResponseStarted?.(),
    onHeaders: (...args: Args<'onHeaders'>) => handler.onHeaders?.(...args) ?? true,
    onData: (...args: Args<'onData'>) => handler.onData?.(...args) ?? true,
    onBodySent: (...args: Args<'onBodySent'>) => handler.onBodySent?.(...args),
    onComplete: (...args: Args<'onComplete'>) => {
      finish();
      handler.onComplete?.(...args);
    },
    onError: (...args: Args<'onError'>) => {
      finish();
      handler.onError?.(...args);
    },
  };
}
