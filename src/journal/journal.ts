import { type Observable, Subject } from 'rxjs';
import * as z from 'zod/mini';
import { type Clock, systemClock } from '../clock.js';
import { fromZodError, KassaError } from '../errors.js';
import { canonicalJson, deepFreeze } from './canonical.js';
import { ChainVerifier, computeEntryHash, GENESIS_PREV, signedText, type VerifyResult } from './chain.js';
import { toHex, utf8 } from './digest.js';
import {
  type AnyJournalEntry,
  type EntryDataMap,
  type EntrySignature,
  type EntryType,
  entryDataSchemasV1,
  isEntryType,
  JOURNAL_FORMAT_VERSION,
  type JournalEntry,
} from './entries.js';
import type { SignatureVerifier, Signer } from './signer.js';
import type { JournalStorage, StorageOpenResult } from './storage/types.js';

/** Options of {@link openJournal}. */
export interface OpenJournalOptions {
  /** The register's id: part of every entry id, so unique within the chain. */
  readonly register: string;
  readonly storage: JournalStorage;
  readonly clock?: Clock;
  /** The register's IANA time zone; written into every entry and used for the business date. Default `UTC`. */
  readonly timeZone?: string;
  /**
   * The business date of an instant (`YYYY-MM-DD`). Default: the calendar date in `timeZone`.
   * A shop open past midnight passes its own rule here.
   */
  readonly businessDate?: (at: Date, timeZone: string) => string;
  /** Signs each entry; an outage never blocks an append (see {@link JournalAlert}). */
  readonly signer?: Signer;
  /** How long a signature may take before the entry is written without one. Default 2,000 ms. */
  readonly signerTimeoutMs?: number;
  /** While the signer is down, how often it is tried again. Default 10,000 ms. */
  readonly signerRetryMs?: number;
}

/** Something the till should show someone: a signer outage, a repaired journal. */
export type JournalAlert =
  | { readonly kind: 'signer.down'; readonly error: string; readonly entry: string }
  | { readonly kind: 'signer.up'; readonly unsigned: readonly string[] }
  | { readonly kind: 'journal.repaired'; readonly dropped: number; readonly detail: string }
  | { readonly kind: 'storage.failed'; readonly error: string };

/** Options of `journal.append`. */
export interface AppendOptions {
  /** Overrides the business date of this entry (a Z report closing yesterday's day). */
  readonly businessDate?: string;
}

/** Which entries `journal.read` returns. */
export interface ReadQuery {
  /** First seq (inclusive), default 1. */
  readonly from?: number;
  /** Last seq (inclusive), default the head. */
  readonly to?: number;
  readonly types?: readonly EntryType[];
  /** At most this many entries. */
  readonly limit?: number;
}

/** An open journal. */
export interface Journal {
  readonly register: string;
  readonly timeZone: string;
  readonly storage: JournalStorage;
  /** What the storage reported at open (a repaired tail, browser persistence). */
  readonly opened: StorageOpenResult;
  /**
   * Appends an entry. The journal assigns seq, `at`, `prev` and `hash` in the order appends
   * arrive; the promise resolves with the frozen entry once it is durable.
   * @throws KassaError `validation.*` / `journal.invalid_entry` for bad data (nothing is written),
   *   `journal.storage_failed` when the storage could not write it, `journal.closed` after close
   */
  append<T extends EntryType>(
    type: T,
    data: EntryDataMap[T],
    options?: AppendOptions,
  ): Promise<JournalEntry<T>>;
  /** Every entry once durable, in seq order (the journal's own event entries too). */
  readonly entries$: Observable<AnyJournalEntry>;
  readonly alerts$: Observable<JournalAlert>;
  /** The last durable entry's seq and hash (seq 0 for an empty journal). */
  head(): { readonly seq: number; readonly hash: string };
  read(query?: ReadQuery): Promise<AnyJournalEntry[]>;
  /** The entries of a range page by page, so a long journal is never held in memory at once. */
  scan(query?: Omit<ReadQuery, 'limit'> & { readonly pageSize?: number }): AsyncIterable<AnyJournalEntry[]>;
  /** Re-reads the whole journal from storage and checks every link; names the first broken one. */
  verify(options?: { readonly verifiers?: readonly SignatureVerifier[] }): Promise<VerifyResult>;
  /** Waits for appends in flight, then closes the storage. */
  close(): Promise<void>;
}

const registerSchema = z
  .string()
  .check(z.regex(/^[A-Za-z0-9._-]{1,64}$/, 'expected 1 to 64 of A-Z a-z 0-9 . _ -'));
const optionsSchema = z.strictObject({
  register: registerSchema,
  storage: z.custom<JournalStorage>(
    (v) => typeof v === 'object' && v !== null && typeof (v as JournalStorage).append === 'function',
    'expected a JournalStorage',
  ),
  clock: z.optional(z.custom<Clock>((v) => typeof v === 'object' && v !== null, 'expected a Clock')),
  timeZone: z.optional(z.string().check(z.minLength(1))),
  businessDate: z.optional(z.custom<(at: Date, tz: string) => string>((v) => typeof v === 'function')),
  signer: z.optional(
    z.custom<Signer>((v) => typeof v === 'object' && v !== null && typeof (v as Signer).sign === 'function'),
  ),
  signerTimeoutMs: z.optional(z.int().check(z.positive())),
  signerRetryMs: z.optional(z.int().check(z.nonnegative())),
});
const dateSchema = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/));

/** Maps a zod failure to a KassaError; an unknown key is `validation.unknown_field`. @internal */
export function journalZodError(error: Parameters<typeof fromZodError>[0], what: string): KassaError {
  const first = error.issues[0];
  return fromZodError(
    error,
    first?.code === 'unrecognized_keys' ? 'validation.unknown_field' : 'journal.invalid_entry',
    what,
  );
}

function calendarDate(timeZone: string): (at: Date) => string {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  return (at) => {
    const parts = format.formatToParts(at);
    const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    return `${get('year')}-${get('month')}-${get('day')}`;
  };
}

// Between batches the writer yields a full macrotask turn, so callers whose previous append
// just resolved can queue their next one and share the next fdatasync (group commit).
const nextTurn: () => Promise<void> =
  typeof globalThis.setImmediate === 'function'
    ? () => new Promise((resolve) => globalThis.setImmediate(resolve))
    : () => new Promise((resolve) => globalThis.setTimeout(resolve, 0));

interface Request {
  readonly type: EntryType;
  readonly data: unknown;
  readonly businessDate: string | undefined;
  readonly resolve: (entry: AnyJournalEntry) => void;
  readonly reject: (error: unknown) => void;
}

const MAX_BATCH = 512;
const PAGE = 1000;

/**
 * Opens a register's journal on a storage adapter.
 *
 * @example
 * ```ts
 * const journal = await openJournal({ register: 'store1-till2', storage: createMemoryStorage(), timeZone: 'Europe/Berlin' });
 * const entry = await journal.append('cash.in', { operator: { id: 'anna' }, amount: '100.00', currency: 'EUR', reason: 'float' });
 * entry.id; // 'store1-till2:1'
 * ```
 * @throws KassaError `validation.*` for bad options, `journal.tampered` when the stored head is unreadable
 */
export async function openJournal(options: OpenJournalOptions): Promise<Journal> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw journalZodError(parsed.error, 'journal options');
  const { register, storage, signer } = options;
  const clock = options.clock ?? systemClock;
  const timeZone = options.timeZone ?? 'UTC';
  let dateOf: (at: Date) => string;
  try {
    const calendar = calendarDate(timeZone);
    const custom = options.businessDate;
    dateOf = custom ? (at) => custom(at, timeZone) : calendar;
  } catch (cause) {
    throw new KassaError(
      'journal.invalid_entry',
      `Unknown time zone ${timeZone}`,
      { path: ['timeZone'] },
      { cause },
    );
  }
  const signerTimeoutMs = options.signerTimeoutMs ?? 2000;
  const signerRetryMs = options.signerRetryMs ?? 10_000;

  const opened = await storage.open(register);
  let headSeq = opened.head?.seq ?? 0;
  let headHash = opened.head?.hash ?? GENESIS_PREV;
  if (opened.head && opened.head.register !== register)
    throw new KassaError(
      'journal.register_mismatch',
      `The storage holds register ${opened.head.register}'s journal, not ${register}'s`,
    );

  const entries$ = new Subject<AnyJournalEntry>();
  const alerts$ = new Subject<JournalAlert>();
  const pending: Request[] = [];
  let draining: Promise<void> | undefined;
  let closed = false;

  // Signer outage state: entries written without a signature since the signer went down.
  let signerDown: { since: string; error: string; unsigned: string[]; nextTry: number } | undefined;
  if (signer && opened.head?.sig && 'error' in opened.head.sig) {
    signerDown = await recoverOutage(storage, opened.head, clock);
  }

  async function sign(body: Omit<JournalEntry, 'hash' | 'sig'>): Promise<EntrySignature> {
    const s = signer as Signer;
    const now = clock.now();
    if (signerDown && now < signerDown.nextTry)
      return {
        alg: s.alg,
        keyId: s.keyId,
        error: `signer down since ${signerDown.since}: ${signerDown.error}`,
      };
    try {
      const message = utf8(signedText(body));
      let cancel: (() => void) | undefined;
      const timeout = new Promise<never>((_, reject) => {
        cancel = clock.setTimeout(
          () => reject(new Error(`signer did not answer within ${signerTimeoutMs} ms`)),
          signerTimeoutMs,
        );
      });
      try {
        const signature = await Promise.race([s.sign(message), timeout]);
        return { alg: s.alg, keyId: s.keyId, value: toHex(signature) };
      } finally {
        cancel?.();
      }
    } catch (error) {
      return { alg: s.alg, keyId: s.keyId, error: error instanceof Error ? error.message : String(error) };
    }
  }

  async function build(
    type: EntryType,
    data: unknown,
    businessDate: string | undefined,
    seq: number,
    prev: string,
    signed: boolean,
  ): Promise<AnyJournalEntry> {
    const at = new Date(clock.now());
    const body = {
      v: JOURNAL_FORMAT_VERSION,
      id: `${register}:${seq}`,
      register,
      seq,
      type,
      at: at.toISOString(),
      tz: timeZone,
      businessDate: businessDate ?? dateOf(at),
      data,
      prev,
    };
    let withSig: Omit<JournalEntry, 'hash'> = body as Omit<JournalEntry, 'hash'>;
    if (signer) {
      const sig: EntrySignature = signed
        ? await sign(body as Omit<JournalEntry, 'hash' | 'sig'>)
        : {
            alg: signer.alg,
            keyId: signer.keyId,
            error: `signer down: ${signerDown?.error ?? 'unknown error'}`,
          };
      withSig = { ...body, sig } as Omit<JournalEntry, 'hash'>;
    }
    const hash = await computeEntryHash(withSig);
    return deepFreeze({ ...withSig, hash }) as AnyJournalEntry;
  }

  async function drain(): Promise<void> {
    while (pending.length > 0) {
      const batch = pending.splice(0, MAX_BATCH);
      const written: AnyJournalEntry[] = [];
      const owners: (Request | undefined)[] = [];
      const alerts: JournalAlert[] = [];
      const savedOutage = signerDown ? { ...signerDown, unsigned: [...signerDown.unsigned] } : undefined;
      let seq = headSeq;
      let prev = headHash;
      const push = (entry: AnyJournalEntry, owner: Request | undefined) => {
        written.push(entry);
        owners.push(owner);
        seq = entry.seq;
        prev = entry.hash;
      };
      try {
        for (const request of batch) {
          const entry = await build(request.type, request.data, request.businessDate, seq + 1, prev, true);
          push(entry, request);
          if (!signer || !entry.sig) continue;
          if ('error' in entry.sig) {
            if (!signerDown) {
              signerDown = { since: entry.at, error: entry.sig.error, unsigned: [], nextTry: 0 };
              alerts.push({ kind: 'signer.down', error: entry.sig.error, entry: entry.id });
              signerDown.unsigned.push(entry.id);
              const down = await build(
                'signer.down',
                { keyId: signer.keyId, error: entry.sig.error.slice(0, 1000), firstUnsigned: entry.id },
                undefined,
                seq + 1,
                prev,
                false,
              );
              push(down, undefined);
              signerDown.unsigned.push(down.id);
            } else signerDown.unsigned.push(entry.id);
            if (signerDown.nextTry <= clock.now()) signerDown.nextTry = clock.now() + signerRetryMs;
          } else if (signerDown) {
            const outage = signerDown;
            signerDown = undefined;
            const up = await build(
              'signer.up',
              { keyId: signer.keyId, since: outage.since, unsigned: outage.unsigned },
              undefined,
              seq + 1,
              prev,
              true,
            );
            push(up, undefined);
            alerts.push({ kind: 'signer.up', unsigned: outage.unsigned });
          }
        }
        await storage.append(written);
      } catch (error) {
        signerDown = savedOutage;
        const failure =
          error instanceof KassaError
            ? error
            : new KassaError(
                'journal.storage_failed',
                `The journal could not write to ${storage.kind} storage: ${error instanceof Error ? error.message : String(error)}`,
                {},
                { cause: error },
              );
        for (const request of batch) request.reject(failure);
        alerts$.next({ kind: 'storage.failed', error: failure.message });
        await nextTurn();
        continue;
      }
      headSeq = seq;
      headHash = prev;
      for (let i = 0; i < written.length; i++) owners[i]?.resolve(written[i]!);
      for (const entry of written) entries$.next(entry);
      for (const alert of alerts) alerts$.next(alert);
      await nextTurn();
    }
  }

  function schedule(): void {
    if (draining) return;
    draining = (async () => {
      await nextTurn();
      try {
        await drain();
      } finally {
        draining = undefined;
        if (pending.length > 0) schedule();
      }
    })();
  }

  function parseData(type: unknown, data: unknown): unknown {
    if (!isEntryType(type))
      throw new KassaError('journal.unknown_type', `Unknown journal entry type ${JSON.stringify(type)}`, {
        path: ['type'],
      });
    const schema = entryDataSchemasV1[type] as unknown as z.ZodMiniType;
    const result = schema.safeParse(data);
    if (!result.success) throw journalZodError(result.error, `${type} data`);
    // A copy through canonical JSON: the caller cannot change the entry after the call, and
    // anything that is not plain JSON (a Decimal, a Date) is refused here, before a seq is taken.
    return JSON.parse(canonicalJson(result.data));
  }

  const journal: Journal = {
    register,
    timeZone,
    storage,
    opened,
    entries$: entries$.asObservable(),
    alerts$: alerts$.asObservable(),
    async append(type, data, appendOptions) {
      if (closed) throw new KassaError('journal.closed', 'The journal is closed');
      const clean = parseData(type, data);
      if (appendOptions !== undefined) {
        const known = new Set(['businessDate']);
        for (const key of Object.keys(appendOptions))
          if (!known.has(key))
            throw new KassaError('validation.unknown_field', `Unknown append option ${key}`, { path: [key] });
        if (
          appendOptions.businessDate !== undefined &&
          !dateSchema.safeParse(appendOptions.businessDate).success
        )
          throw new KassaError('journal.invalid_entry', 'businessDate must be YYYY-MM-DD', {
            path: ['businessDate'],
          });
      }
      return new Promise((resolve, reject) => {
        pending.push({
          type,
          data: clean,
          businessDate: appendOptions?.businessDate,
          resolve: resolve as (entry: AnyJournalEntry) => void,
          reject,
        });
        schedule();
      });
    },
    head: () => ({ seq: headSeq, hash: headHash }),
    async read(query = {}) {
      const from = Math.max(1, query.from ?? 1);
      const to = Math.min(query.to ?? headSeq, headSeq);
      const limit = query.limit ?? Number.MAX_SAFE_INTEGER;
      const out: AnyJournalEntry[] = [];
      for (let start = from; start <= to && out.length < limit; ) {
        const end = Math.min(to, start + PAGE - 1);
        const page = await storage.read({
          from: start,
          to: end,
          limit: limit - out.length,
          ...(query.types ? { types: query.types } : {}),
        });
        out.push(...page);
        start = end + 1;
      }
      return out;
    },
    async *scan(query = {}) {
      const pageSize = query.pageSize ?? PAGE;
      const to = Math.min(query.to ?? headSeq, headSeq);
      for (let start = Math.max(1, query.from ?? 1); start <= to; ) {
        const end = Math.min(to, start + pageSize - 1);
        const page = await storage.read({
          from: start,
          to: end,
          limit: pageSize,
          ...(query.types ? { types: query.types } : {}),
        });
        if (page.length > 0) yield page;
        start = end + 1;
      }
    },
    async verify(verifyOptions = {}) {
      const verifier = new ChainVerifier({
        register,
        ...(verifyOptions.verifiers ? { verifiers: verifyOptions.verifiers } : {}),
      });
      const to = headSeq;
      for (let start = 1; start <= to; start += PAGE) {
        const page = await storage.read({ from: start, to: Math.min(to, start + PAGE - 1), limit: PAGE });
        if (!(await verifier.push(page))) break;
        if (page.length < Math.min(PAGE, to - start + 1)) {
          const result = verifier.result();
          return {
            ...result,
            ok: false,
            broken: {
              seq: result.head.seq + 1,
              id: `${register}:${result.head.seq + 1}`,
              reason: 'seq',
              message: `entry ${result.head.seq + 1} is missing from storage`,
            },
          };
        }
      }
      return verifier.result();
    },
    async close() {
      closed = true;
      while (draining) await draining;
      entries$.complete();
      alerts$.complete();
      await storage.close();
    },
  };

  if (opened.repaired) {
    const { dropped, detail } = opened.repaired;
    alerts$.next({ kind: 'journal.repaired', dropped, detail });
    await journal.append('journal.repaired', {
      storage: storage.kind.slice(0, 64),
      dropped,
      detail: detail.slice(0, 1000),
    });
  }
  return journal;
}

/** Rebuilds the list of unsigned entries of an outage still going on when the journal was closed. */
async function recoverOutage(
  storage: JournalStorage,
  head: AnyJournalEntry,
  clock: Clock,
): Promise<{ since: string; error: string; unsigned: string[]; nextTry: number }> {
  const unsigned: string[] = [];
  let since = head.at;
  let error = head.sig && 'error' in head.sig ? head.sig.error : 'unknown';
  for (let to = head.seq; to >= 1; to -= PAGE) {
    const page = await storage.read({ from: Math.max(1, to - PAGE + 1), to, limit: PAGE });
    for (let i = page.length - 1; i >= 0; i--) {
      const e = page[i]!;
      // An outage is the unbroken run of unsigned entries at the end of the journal.
      if (!e.sig || !('error' in e.sig))
        return { since, error, unsigned: unsigned.reverse(), nextTry: clock.now() };
      unsigned.push(e.id);
      since = e.at;
      if (e.type !== 'signer.down') error = e.sig.error;
    }
  }
  return { since, error, unsigned: unsigned.reverse(), nextTry: clock.now() };
}
