import { KassaError } from './errors.js';

/**
 * Time as a port. Everything in kassa that waits (terminal timeouts, inquiry back-off,
 * scanner idle timeouts, keyboard-wedge timing) asks a Clock, so tests run a 120-second
 * timeout in microseconds with {@link createManualClock}.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fn` after `ms` milliseconds; returns a cancel function. */
  setTimeout(fn: () => void, ms: number): () => void;
}

function checkInstant(value: unknown, path: string[]): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new KassaError('validation.invalid_input', `${path[0]} must be a finite number of milliseconds`, {
      path,
      issues: [{ path, message: 'expected a finite number' }],
    });
  }
}

/** The real clock: `Date.now()` and the platform's timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const handle = globalThis.setTimeout(fn, ms);
    return () => globalThis.clearTimeout(handle);
  },
};

/** A clock that moves only when told to; for tests, simulations and replays. */
export interface ManualClock extends Clock {
  /** Moves time forward, firing due timers in order. Awaits microtasks between timers. */
  advance(ms: number): Promise<void>;
  /** Sets the time without firing timers (for a fresh clock at a fixed date). */
  set(epochMs: number): void;
  /** Number of timers still pending. */
  pending(): number;
}

/**
 * A manual clock starting at `start` (default 2026-01-01T00:00:00Z).
 * @example
 * ```ts
 * const clock = createManualClock();
 * const session = createPaymentSession({ ..., clock });
 * await clock.advance(120_000); // the terminal timeout fires at once
 * ```
 */
export function createManualClock(start = Date.UTC(2026, 0, 1)): ManualClock {
  checkInstant(start, ['start']);
  let now = start;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void; seq: number }>();
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = ++seq;
      timers.set(id, { at: now + Math.max(0, ms), fn, seq: id });
      return () => {
        timers.delete(id);
      };
    },
    async advance(ms) {
      checkInstant(ms, ['ms']);
      const target = now + ms;
      for (;;) {
        await new Promise<void>((resolve) => queueMicrotask(resolve));
        let next: [number, { at: number; fn: () => void; seq: number }] | undefined;
        for (const entry of timers) {
          if (
            entry[1].at <= target &&
            (!next || entry[1].at < next[1].at || (entry[1].at === next[1].at && entry[1].seq < next[1].seq))
          ) {
            next = entry;
          }
        }
        if (!next) break;
        timers.delete(next[0]);
        now = next[1].at;
        next[1].fn();
      }
      now = target;
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
    },
    set(epochMs) {
      checkInstant(epochMs, ['epochMs']);
      now = epochMs;
    },
    pending: () => timers.size,
  };
}
