import { BehaviorSubject, type Observable, type Subscription } from 'rxjs';
import { type Clock, systemClock } from '../clock.js';
import { KassaError } from '../errors.js';
import type { AnyJournalEntry } from './entries.js';
import type { Journal } from './journal.js';

/** What a receiver answers to a push. */
export interface PushResult {
  /** Ids now in the receiver's verified chain (stored before or by this push). */
  readonly acknowledged: readonly string[];
  /** Ids the receiver keeps until the entries before them arrive. */
  readonly held?: readonly string[];
  /** Ids refused because they break the chain the receiver has; never silently dropped. */
  readonly refused?: readonly { readonly id: string; readonly reason: string; readonly message: string }[];
}

/** Where the outbox pushes entries: the reference HTTP client, or anything else. */
export interface SyncTarget {
  push(entries: readonly AnyJournalEntry[]): Promise<PushResult>;
}

/** The outbox's state. */
export interface SyncState {
  readonly status: 'idle' | 'pushing' | 'backoff' | 'stopped';
  /** The last seq the receiver acknowledged (durable). */
  readonly cursor: number;
  /** Entries written but not yet acknowledged. */
  readonly pending: number;
  /** Failed attempts in a row. */
  readonly failures: number;
  readonly lastError?: string;
  /** Entries the receiver refused (a broken chain upstream): needs a person. */
  readonly refused?: PushResult['refused'];
}

/** Options of {@link startSync}. */
export interface StartSyncOptions {
  readonly journal: Journal;
  readonly target: SyncTarget;
  readonly clock?: Clock;
  /** Uniform random in [0, 1) for the jitter (injected in tests). Default `Math.random`. */
  readonly random?: () => number;
  /** Entries per push. Default 500. */
  readonly batchSize?: number;
  /** First retry delay. Default 1,000 ms; doubles per failure up to `maxDelayMs`. */
  readonly initialDelayMs?: number;
  /** Default 5 minutes. */
  readonly maxDelayMs?: number;
  /** Name of the cursor in the journal's storage, for several targets. Default `default`. */
  readonly name?: string;
}

/** A running outbox. */
export interface Sync {
  readonly state$: Observable<SyncState>;
  snapshot(): SyncState;
  /** Resolves once everything written before the call is acknowledged (or rejects when stopped). */
  flush(): Promise<void>;
  /** Pushes now, skipping a backoff wait (the till came back online). */
  kick(): void;
  /** Stops after the push in flight settles; the cursor is durable, a later start resumes. */
  stop(): Promise<void>;
}

/**
 * Starts the outbox of a journal: pushes entries at least once, in seq order, in batches, with
 * exponential backoff and full jitter between failures. The cursor (the last acknowledged seq) is
 * kept in the journal's own storage, so a restart resumes where it stopped; entries are read from
 * storage page by page, so days offline cost disk, not memory. Receivers are idempotent by entry
 * id, which makes a resend after a crash between push and cursor write harmless.
 */
export async function startSync(options: StartSyncOptions): Promise<Sync> {
  const { journal, target } = options;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const batchSize = options.batchSize ?? 500;
  const initialDelayMs = options.initialDelayMs ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 300_000;
  const key = `sync:${options.name ?? 'default'}`;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new KassaError('validation.invalid_input', 'batchSize must be a positive integer', {
      path: ['batchSize'],
    });

  let cursor = Number((await journal.storage.getMeta(key)) ?? '0');
  if (!Number.isInteger(cursor) || cursor < 0) cursor = 0;
  const state = new BehaviorSubject<SyncState>({
    status: 'idle',
    cursor,
    pending: Math.max(0, journal.head().seq - cursor),
    failures: 0,
  });
  const set = (patch: Partial<SyncState>) => {
    const next = { ...state.value, ...patch, pending: Math.max(0, journal.head().seq - cursor) };
    state.next(next);
  };

  let stopped = false;
  let running: Promise<void> | undefined;
  let cancelTimer: (() => void) | undefined;
  let failures = 0;
  const waiters: { seq: number; resolve: () => void; reject: (e: unknown) => void }[] = [];

  const settleWaiters = () => {
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i]!.seq <= cursor) {
        waiters[i]!.resolve();
        waiters.splice(i, 1);
      }
    }
  };

  async function pushOnce(): Promise<'done' | 'more' | 'failed'> {
    const head = journal.head().seq;
    if (cursor >= head) return 'done';
    const batch = await journal.read({ from: cursor + 1, to: Math.min(head, cursor + batchSize) });
    set({ status: 'pushing' });
    const result = await target.push(batch);
    const acknowledged = new Set(result.acknowledged);
    let advanced = cursor;
    for (const entry of batch) {
      if (!acknowledged.has(entry.id)) break;
      advanced = entry.seq;
    }
    if (advanced > cursor) {
      await journal.storage.setMeta(key, String(advanced));
      cursor = advanced;
      settleWaiters();
    }
    if (result.refused && result.refused.length > 0) {
      set({
        refused: result.refused,
        lastError: `receiver refused ${result.refused[0]!.id}: ${result.refused[0]!.message}`,
      });
      return 'failed';
    }
    if (!acknowledged.has(batch[0]!.id)) {
      set({ lastError: `receiver acknowledged nothing of the batch from ${batch[0]!.id}` });
      return 'failed';
    }
    return cursor < journal.head().seq ? 'more' : 'done';
  }

  async function run(): Promise<void> {
    while (!stopped) {
      let outcome: 'done' | 'more' | 'failed';
      try {
        outcome = await pushOnce();
      } catch (error) {
        set({ lastError: error instanceof Error ? error.message : String(error) });
        outcome = 'failed';
      }
      if (stopped) return;
      if (outcome === 'failed') {
        failures++;
        // Full jitter: anywhere between zero and the exponential ceiling, so that registers
        // coming back online together do not hit the receiver together.
        const ceiling = Math.min(maxDelayMs, initialDelayMs * 2 ** (failures - 1));
        const delay = Math.floor(random() * ceiling);
        set({ status: 'backoff', failures });
        await new Promise<void>((resolve) => {
          const cancel = clock.setTimeout(resolve, delay);
          cancelTimer = () => {
            cancel();
            resolve();
          };
        });
        cancelTimer = undefined;
        continue;
      }
      failures = 0;
      if (outcome === 'done') {
        const { lastError: _e, refused: _r, ...rest } = state.value;
        state.next({
          ...rest,
          status: 'idle',
          failures: 0,
          pending: Math.max(0, journal.head().seq - cursor),
        });
        return;
      }
    }
  }

  function wake(): void {
    if (stopped) return;
    if (running) return;
    running = run().finally(() => {
      running = undefined;
      if (!stopped && cursor < journal.head().seq && state.value.status !== 'backoff') wake();
    });
  }

  const subscription: Subscription = journal.entries$.subscribe(() => {
    set({});
    wake();
  });
  wake();

  return {
    state$: state.asObservable(),
    snapshot: () => state.value,
    flush() {
      const seq = journal.head().seq;
      if (seq <= cursor) return Promise.resolve();
      if (stopped) return Promise.reject(new KassaError('journal.closed', 'The sync is stopped'));
      return new Promise((resolve, reject) => {
        waiters.push({ seq, resolve, reject });
        wake();
      });
    },
    kick() {
      cancelTimer?.();
      wake();
    },
    async stop() {
      stopped = true;
      subscription.unsubscribe();
      cancelTimer?.();
      await running?.catch(() => undefined);
      for (const w of waiters.splice(0)) w.reject(new KassaError('journal.closed', 'The sync was stopped'));
      set({ status: 'stopped' });
      state.complete();
    },
  };
}

/** Options of {@link createHttpTarget}. */
export interface HttpTargetOptions {
  /** The receiver's URL. */
  readonly url: string;
  readonly register: string;
  /** The register's secret, as the receiver knows it. */
  readonly secret: string;
  /** Default: the global fetch. */
  readonly fetch?: typeof fetch;
  /** Per request. Default 30,000 ms. */
  readonly timeoutMs?: number;
}

/** The reference HTTP client of the reference receiver: POSTs `{ entries }` as JSON. */
export function createHttpTarget(options: HttpTargetOptions): SyncTarget {
  const doFetch = options.fetch ?? globalThis.fetch;
  return {
    async push(entries) {
      const response = await doFetch(options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${options.secret}`,
          'x-kassa-register': options.register,
        },
        body: JSON.stringify({ entries }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
      if (response.status === 200 || response.status === 409) return (await response.json()) as PushResult;
      const text = await response.text().catch(() => '');
      throw new KassaError(
        'journal.sync_failed',
        `The receiver answered ${response.status}: ${text.slice(0, 500)}`,
        {
          status: response.status,
        },
      );
    },
  };
}
