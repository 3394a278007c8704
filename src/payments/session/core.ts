import { BehaviorSubject, Subject } from 'rxjs';
import type { Clock } from '../../clock.js';
import { KassaError } from '../../errors.js';
import type { RoundingMode } from '../../money/rounding.js';
import { type AttemptModel, reduceRecords, type SaleModel, toState } from '../reduce.js';
import { PaymentOutcomeSchema } from '../schemas.js';
import type {
  AttemptRef,
  PaymentOutcome,
  PaymentProvider,
  PaymentRecord,
  PaymentSessionEvent,
  PaymentSessionState,
  PaymentStore,
  ProgressStage,
} from '../types.js';
import { fail, type StartResult } from './util.js';

/*
 * The state every part of a payment session shares: the sale's records and their fold, the
 * append queue, the subjects, timers and the attempts in flight. The parts (attempt driver,
 * tenders, refunds and voids, settlement) are built over it; session.ts is the facade.
 */

/** What the facade has settled before the parts are built. @internal */
export interface CoreParams {
  readonly saleId: string;
  readonly currency: string;
  readonly decimals: number;
  readonly store: PaymentStore;
  readonly clock: Clock;
  readonly newId: (kind: 'pa' | 'rf') => string;
  readonly providers: ReadonlyMap<string, PaymentProvider>;
  readonly timeoutMs: number;
  readonly maxInquiries: number;
  readonly inquiryInterval: number;
  readonly lateApproval: 'void' | 'keep';
  readonly acceptPartial: boolean;
  readonly cashRounding: { readonly step: string; readonly mode?: RoundingMode | undefined } | undefined;
  readonly records: PaymentRecord[];
}

/** @internal */
export type SessionCore = ReturnType<typeof createSessionCore>;

/** @internal */
export function createSessionCore(params: CoreParams) {
  const {
    saleId,
    currency,
    decimals,
    store,
    clock,
    newId,
    providers,
    timeoutMs,
    maxInquiries,
    inquiryInterval,
    lateApproval,
    acceptPartial,
    cashRounding,
    records,
  } = params;
  const opts = { saleId };
  let model = reduceRecords(records);
  let closed = false;
  const progress: Record<string, ProgressStage> = {};
  const sale = (): SaleModel => model.get(opts.saleId)!;
  const state = new BehaviorSubject<PaymentSessionState>(toState(sale(), decimals, progress));
  const events = new Subject<PaymentSessionEvent>();
  const timers = new Set<() => void>();
  const active = new Map<string, { finish(r: StartResult): void }>();
  const driving = new Set<string>();
  const closers = new Set<(e: KassaError) => void>();

  const closedError = () => new KassaError('payment.session_closed', 'The payment session was disposed');
  const ensureOpen = () => {
    if (closed) throw closedError();
  };

  let appendChain: Promise<void> = Promise.resolve();
  function append(record: PaymentRecord): Promise<void> {
    const run = appendChain.then(async () => {
      ensureOpen();
      await store.append(record);
      // A disposed session is a dead process: what it wrote is in the store, but it
      // no longer changes its own view.
      if (closed) throw closedError();
      records.push(record);
      model = reduceRecords(records);
      publish();
    });
    appendChain = run.catch(() => undefined);
    return run;
  }

  /** Appends outside the session's append queue: for the store's critical section, which must not wait behind it. */
  async function appendNow(record: PaymentRecord): Promise<void> {
    ensureOpen();
    await store.append(record);
    if (closed) throw closedError();
    records.push(record);
    model = reduceRecords(records);
    publish();
  }

  function publish(): void {
    state.next(toState(sale(), decimals, progress));
  }

  let lock: Promise<unknown> = Promise.resolve();
  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = lock.then(fn, fn);
    lock = run.catch(() => undefined);
    return run;
  }

  function sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onClose = (e: KassaError) => {
        cancel();
        reject(e);
      };
      const cancel = clock.setTimeout(() => {
        timers.delete(cancel);
        closers.delete(onClose);
        resolve();
      }, ms);
      timers.add(cancel);
      closers.add(onClose);
    });
  }

  function attempt(attemptId: string): AttemptModel {
    const a = sale().attempts.get(attemptId);
    if (!a)
      fail('payment.unknown_attempt', `No attempt ${attemptId} in sale ${opts.saleId}`, {
        path: ['attemptId'],
      });
    return a;
  }

  function providerOf(a: AttemptModel): PaymentProvider {
    const p = providers.get(a.record.provider);
    if (!p) fail('payment.unknown_provider', `Provider ${a.record.provider} is not configured`);
    return p;
  }

  function refOf(a: AttemptModel): AttemptRef {
    const o = a.outcome;
    const providerRef = o && 'providerRef' in o ? o.providerRef : undefined;
    return { attemptId: a.record.attemptId, saleId: opts.saleId, ...(providerRef ? { providerRef } : {}) };
  }

  function parseOutcome(value: unknown): PaymentOutcome {
    const parsed = PaymentOutcomeSchema.safeParse(value);
    return parsed.success ? parsed.data : { status: 'unknown', reason: 'invalid provider response' };
  }

  function track<T>(p: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onClose = (e: KassaError) => reject(e);
      closers.add(onClose);
      p.then(
        (v) => {
          closers.delete(onClose);
          resolve(v);
        },
        (e) => {
          closers.delete(onClose);
          reject(e);
        },
      );
    });
  }

  const progressSeenDrawer = new Set<string>();
  events.subscribe((e) => {
    if (e.type === 'drawer_open') progressSeenDrawer.add(e.attemptId);
  });

  return {
    opts,
    saleId,
    currency,
    decimals,
    store,
    clock,
    newId,
    providers,
    timeoutMs,
    maxInquiries,
    inquiryInterval,
    lateApproval,
    acceptPartial,
    cashRounding,
    progress,
    sale,
    state,
    events,
    timers,
    active,
    driving,
    closers,
    progressSeenDrawer,
    closedError,
    ensureOpen,
    append,
    appendNow,
    publish,
    exclusive,
    sleep,
    attempt,
    providerOf,
    refOf,
    parseOutcome,
    track,
    isClosed: () => closed,
    markClosed: () => {
      closed = true;
    },
  };
}
