/**
 * undici's `close()` and `destroy()` return a promise, or call back when given a callback:
 * `destroy` takes `(err?, callback?)` or `(callback)`. Our dispatchers finish the same way.
 */
export function settleDispatcherCall(
  done: Promise<unknown>,
  errOrCallback?: Error | null | (() => void),
  callback?: () => void,
): Promise<void> | undefined {
  const finished = done.then(() => {});
  const cb = typeof errOrCallback === 'function' ? errOrCallback : callback;
  if (cb === undefined) return finished;
  finished.then(cb, cb);
  return undefined;
}

/** The error argument of a `destroy(err?, callback?)` call: null when only a callback is given. */
export function destroyError(errOrCallback?: Error | null | (() => void)): Error | null {
  return typeof errOrCallback === 'function' ? null : (errOrCallback ?? null);
}
