import { BehaviorSubject, type Observable, type Subscription } from 'rxjs';
import * as z from 'zod/mini';
import { type Clock, systemClock } from '../../clock.js';
import { isKassaError, KassaError } from '../../errors.js';
import { checkOptions, clockSchema, msSchema, transportSchema } from '../options.js';
import type { ConnectionState, Transport } from '../transports/types.js';
import { asbEnable, createStatusDecoder, type PrinterStatus, realtimeStatusRequest } from './status.js';

/** Where a print job is. `interrupted`: the link dropped after part of it reached the printer. */
export type PrintJobState = 'queued' | 'printing' | 'done' | 'interrupted' | 'canceled';

/** A print job as the queue shows it. */
export interface PrintJob {
  readonly id: string;
  readonly state: PrintJobState;
  readonly size: number;
  /** Bytes accepted by the transport before an interruption. */
  readonly written?: number;
}

/** Options of {@link createPrinter}. */
export interface PrinterOptions {
  transport: Transport;
  clock?: Clock;
  /** How long to wait for a status reply. Default 1000 ms. */
  statusTimeoutMs?: number;
  /** Enable Automatic Status Back on every (re)connect. Default true. */
  asb?: boolean;
  /** Jobs kept in the history for de-duplication. Default 200. */
  history?: number;
}

/** A receipt printer driver. */
export interface Printer {
  /** Latest known status, merged from ASB and DLE EOT replies. */
  readonly status$: Observable<PrinterStatus>;
  status(): PrinterStatus;
  /** The queue and recent jobs. */
  readonly jobs$: Observable<readonly PrintJob[]>;
  readonly connection$: Observable<ConnectionState>;
  connection(): ConnectionState;
  /**
   * Queues bytes (from `kassa/receipts`) and resolves when the printer has accepted them.
   * A job waits through disconnects. Printing the same `jobId` again returns the first
   * job's outcome and prints nothing, so a retry after a reload cannot print twice.
   * Rejects with `device.print_interrupted` when the link dropped mid-job: part of it may
   * be on paper, so kassa does not resend it by itself; call `reprint(jobId)` to do so.
   */
  print(bytes: Uint8Array, options?: { jobId?: string }): Promise<PrintJob>;
  /** Prints an interrupted (or finished) job again, deliberately. */
  reprint(jobId: string): Promise<PrintJob>;
  /** Cancels a queued job. Returns false when it already started. */
  cancel(jobId: string): boolean;
  /** Asks DLE EOT 1-4 and resolves with the merged status. Rejects with `device.timeout`. */
  queryStatus(): Promise<PrinterStatus>;
  dispose(): void;
}

interface Job {
  id: string;
  bytes: Uint8Array;
  state: PrintJobState;
  written?: number;
  done: Promise<PrintJob>;
  resolve(j: PrintJob): void;
  reject(e: unknown): void;
}

let counter = 0;

const optionsSchema = z.looseObject({
  transport: transportSchema,
  clock: clockSchema,
  statusTimeoutMs: msSchema,
  asb: z.optional(z.boolean()),
  history: z.optional(z.number().check(z.int(), z.minimum(1))),
});

/**
 * An ESC/POS receipt printer over any transport (WebUSB, WebSerial, Node serial, TCP 9100).
 * Jobs are sent one at a time in chunks; status comes from ASB and from DLE EOT queries,
 * decoded as a byte stream so a reply split across reads or mixed with garbage is still
 * read right.
 */
export function createPrinter(options: PrinterOptions): Printer {
  checkOptions(optionsSchema, options, 'printer options');
  const { transport } = options;
  const clock = options.clock ?? systemClock;
  const statusTimeout = options.statusTimeoutMs ?? 1000;
  const historySize = options.history ?? 200;
  const decoder = createStatusDecoder();
  const status$ = new BehaviorSubject<PrinterStatus>({});
  const jobs$ = new BehaviorSubject<readonly PrintJob[]>([]);
  const jobs: Job[] = [];
  const waiters: Array<{ n: 1 | 2 | 3 | 4; resolve(s: PrinterStatus): void }> = [];
  let running = false;
  let disposed = false;

  const view = (j: Job): PrintJob => ({
    id: j.id,
    state: j.state,
    size: j.bytes.length,
    ...(j.written !== undefined ? { written: j.written } : {}),
  });
  const publish = () => {
    while (jobs.length > historySize) {
      const i = jobs.findIndex((j) => j.state !== 'queued' && j.state !== 'printing');
      if (i === -1) break;
      jobs.splice(i, 1);
    }
    jobs$.next(jobs.map(view));
  };

  const pump = async () => {
    if (running || disposed) return;
    running = true;
    try {
      for (;;) {
        if (transport.connection() !== 'connected') return;
        const job = jobs.find((j) => j.state === 'queued');
        if (!job) return;
        job.state = 'printing';
        publish();
        try {
          await transport.write(job.bytes);
          job.state = 'done';
          publish();
          job.resolve(view(job));
        } catch (e) {
          const written =
            isKassaError(e) && typeof e.details.written === 'number' ? e.details.written : undefined;
          if (written === 0) {
            // nothing reached the printer: safe to send again once it is back
            job.state = 'queued';
            publish();
            continue;
          }
          job.state = 'interrupted';
          if (written !== undefined) job.written = written;
          publish();
          job.reject(
            new KassaError('device.print_interrupted', `print job ${job.id} was interrupted`, {
              jobId: job.id,
              ...(written !== undefined ? { written } : {}),
            }),
          );
        }
      }
    } finally {
      running = false;
    }
  };

  const enqueue = (id: string, bytes: Uint8Array): Job => {
    let resolve!: (j: PrintJob) => void;
    let reject!: (e: unknown) => void;
    const done = new Promise<PrintJob>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    done.catch(() => undefined); // the caller's promise still rejects; this only avoids an unhandled rejection
    const job: Job = { id, bytes: bytes.slice(), state: 'queued', done, resolve, reject };
    jobs.push(job);
    publish();
    void pump();
    return job;
  };

  const subs: Subscription[] = [
    transport.data$.subscribe((bytes) => {
      for (const ev of decoder.push(bytes)) {
        status$.next({ ...status$.value, ...ev.status });
        if (ev.source !== 'asb') {
          const i = waiters.findIndex((w) => w.n === ev.source);
          if (i !== -1) waiters.splice(i, 1)[0]!.resolve(ev.status);
        }
      }
    }),
    transport.connection$.subscribe((s) => {
      if (s === 'connected') {
        decoder.reset();
        if (options.asb ?? true) void transport.write(asbEnable()).catch(() => undefined);
        void pump();
      }
    }),
  ];

  const ask = (n: 1 | 2 | 3 | 4): Promise<PrinterStatus> =>
    new Promise((resolve, reject) => {
      let settled = false;
      let cancel: () => void = () => undefined;
      const drop = () => {
        settled = true;
        cancel();
        const i = waiters.indexOf(waiter);
        if (i !== -1) waiters.splice(i, 1);
        decoder.reset();
      };
      const waiter = {
        n,
        resolve: (s: PrinterStatus) => {
          settled = true;
          cancel();
          resolve(s);
        },
      };
      waiters.push(waiter);
      decoder.expect(n);
      // The request waits behind a running job in the transport's write queue; a busy printer
      // is not a silent one, so the reply timer only runs once the request is on the wire.
      transport.write(realtimeStatusRequest(n)).then(
        () => {
          if (settled) return;
          cancel = clock.setTimeout(() => {
            drop();
            reject(new KassaError('device.timeout', `${transport.label}: no reply to DLE EOT ${n}`));
          }, statusTimeout);
        },
        (e) => {
          if (settled) return;
          drop();
          reject(e);
        },
      );
    });

  return {
    status$: status$.asObservable(),
    status: () => status$.value,
    jobs$: jobs$.asObservable(),
    connection$: transport.connection$,
    connection: () => transport.connection(),
    print(bytes, opts = {}) {
      if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
        return Promise.reject(new KassaError('device.invalid_input', 'print expects a non-empty Uint8Array'));
      }
      if (opts.jobId !== undefined && (typeof opts.jobId !== 'string' || opts.jobId.length === 0)) {
        return Promise.reject(new KassaError('device.invalid_input', 'jobId must be a non-empty string'));
      }
      const existing = opts.jobId ? jobs.find((j) => j.id === opts.jobId) : undefined;
      if (existing) return existing.done;
      return enqueue(opts.jobId ?? `job-${++counter}`, bytes).done;
    },
    reprint(jobId) {
      const old = jobs.find((j) => j.id === jobId);
      if (!old) return Promise.reject(new KassaError('device.invalid_input', `no job ${jobId}`));
      if (old.state === 'queued' || old.state === 'printing') return old.done;
      jobs.splice(jobs.indexOf(old), 1);
      return enqueue(jobId, old.bytes).done;
    },
    cancel(jobId) {
      const job = jobs.find((j) => j.id === jobId);
      if (job?.state !== 'queued') return false;
      job.state = 'canceled';
      publish();
      job.reject(new KassaError('device.closed', `print job ${jobId} was canceled`, { jobId }));
      return true;
    },
    async queryStatus() {
      let merged: PrinterStatus = {};
      for (const n of [1, 2, 3, 4] as const) merged = { ...merged, ...(await ask(n)) };
      return { ...status$.value, ...merged };
    },
    dispose() {
      disposed = true;
      for (const s of subs) s.unsubscribe();
    },
  };
}
