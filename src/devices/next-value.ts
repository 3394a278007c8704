import type { Observable } from 'rxjs';
import type { Clock } from '../clock.js';
import type { KassaError } from '../errors.js';

/**
 * The next value of `source` that passes `pred`, or `onTimeout()` as a rejection after `ms`
 * on `clock` (so tests drive timeouts with a manual clock instead of waiting).
 * @internal
 */
export function nextValue<T>(
  source: Observable<T>,
  pred: (v: T) => boolean,
  clock: Clock,
  ms: number,
  onTimeout: () => KassaError,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    let cancel: (() => void) | undefined;
    const sub = source.subscribe((v) => {
      if (done || !pred(v)) return;
      done = true;
      cancel?.();
      queueMicrotask(() => sub.unsubscribe());
      resolve(v);
    });
    if (done) return;
    cancel = clock.setTimeout(() => {
      if (done) return;
      done = true;
      sub.unsubscribe();
      reject(onTimeout());
    }, ms);
  });
}
