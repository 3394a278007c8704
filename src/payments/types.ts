import type { Observable } from 'rxjs';
import type * as z from 'zod/mini';
import type {
  AttemptRefSchema,
  CardDetailsSchema,
  CashRoundingSchema,
  EntryModeSchema,
  InquiryResultSchema,
  ManualEntrySchema,
  PayInputSchema,
  PaymentEventSchema,
  PaymentOutcomeSchema,
  PaymentRecordSchema,
  PaymentRequestSchema,
  ProgressStageSchema,
  RefundInputSchema,
  RefundRequestSchema,
  ResolutionInputSchema,
  VoidReasonSchema,
} from './schemas.js';

/** Brand, last four digits and entry mode: the only card data kassa ever holds. */
export type CardDetails = z.infer<typeof CardDetailsSchema>;
/** How a card was presented. */
export type EntryMode = z.infer<typeof EntryModeSchema>;
/**
 * The outcome of one attempt: `approved`, `partially_approved` (with the approved `amount`
 * and the `requested` one), `declined` (with a `reasonCode`), `canceled`, `failed` (the
 * request never took effect: no money moved) or `unknown` (money may have moved; resolved
 * only by `inquire`, never by charging again).
 */
export type PaymentOutcome = z.infer<typeof PaymentOutcomeSchema>;
/** What `inquire` answers. */
export type InquiryResult = z.infer<typeof InquiryResultSchema>;
/** A stage a terminal reports while it works. */
export type ProgressStage = z.infer<typeof ProgressStageSchema>;
/** An event of `start`: progress, then one outcome. */
export type PaymentEvent = z.infer<typeof PaymentEventSchema>;
/** What the cashier keys in for a terminal that is not integrated. */
export type ManualEntry = z.infer<typeof ManualEntrySchema>;
/** What a provider is asked to charge. `attemptId` is the idempotency key. */
export type PaymentRequest = z.infer<typeof PaymentRequestSchema>;
/** Names one attempt at a provider. */
export type AttemptRef = z.infer<typeof AttemptRefSchema>;
/** A referenced refund. */
export type RefundRequest = z.infer<typeof RefundRequestSchema>;
/** Input of `session.pay()`. */
export type PayInput = z.infer<typeof PayInputSchema>;
/** Input of `session.refund()`. */
export type RefundInput = z.infer<typeof RefundInputSchema>;
/** Input of `session.resolve()`. */
export type ResolutionInput = z.infer<typeof ResolutionInputSchema>;
/** Cash rounding of a session. */
export type CashRoundingOption = z.infer<typeof CashRoundingSchema>;
/** Why a tender was voided. */
export type VoidReason = z.infer<typeof VoidReasonSchema>;
/** One record of a {@link PaymentStore}. */
export type PaymentRecord = z.infer<typeof PaymentRecordSchema>;

/** Answer of `cancel`: stopped in time, too late (the payment went through or will), or cannot tell. */
export type CancelResult = 'canceled' | 'too_late' | 'unknown';

/** What a provider can do; the session refuses what it cannot. */
export interface ProviderCapabilities {
  /** `cash` may exceed what is due and gives change; `card` and `external` pay exact amounts. */
  readonly method: 'cash' | 'card' | 'external';
  /** The provider may approve less than was asked. */
  readonly partialApproval: boolean;
  /** A tip can be added on the tender. */
  readonly tips: boolean;
  /** Refunds that reference the original payment. */
  readonly refunds: boolean;
  /** `void` exists (otherwise a void is sent as a refund of the whole amount). */
  readonly void: boolean;
  /** `capture` exists (separate authorisation and capture). */
  readonly capture: boolean;
  /**
   * The provider can answer `inquire` about an attempt a previous process started: it keeps
   * its own record of every request (a terminal and its acquirer do; a cash drawer and a
   * standalone terminal do not). When `false`, an inquiry that answers `not_found` proves
   * nothing, so recovery leaves the attempt `needs_attention` for a person instead of
   * booking it `failed`. Default: `true` for `card`, `false` for `cash` and `external`.
   */
  readonly inquiry?: boolean;
}

/**
 * A payment provider: one terminal, a cash drawer or a payment service. Providers are
 * adapters; the session sequences them, journals every attempt before `start` and never
 * calls `start` twice for one attempt except as an idempotent resend under the same key.
 *
 * `start` emits progress events and then exactly one `outcome` event. A provider signals
 * trouble either with an outcome (`failed` when nothing was sent, `unknown` when money may
 * have moved) or by erroring the Observable with a `KassaError` whose code is
 * `payment.not_sent`; any other error is treated as `unknown`.
 */
export interface PaymentProvider {
  /** Unique within a session; it names the terminal. */
  readonly id: string;
  readonly capabilities: ProviderCapabilities;
  /** Starts (or, under a key already seen, resumes) an attempt. Aborting the signal stops listening. */
  start(request: PaymentRequest, signal: AbortSignal): Observable<PaymentEvent>;
  /** Asks what happened to an attempt; never charges. */
  inquire(ref: AttemptRef): Promise<InquiryResult>;
  /** Tries to stop an attempt in flight. */
  cancel(ref: AttemptRef): Promise<CancelResult>;
  /** Refunds part or all of an approved attempt, idempotent under `refundKey`. */
  refund(request: RefundRequest): Promise<PaymentOutcome>;
  /** Captures an authorised attempt, idempotent under `key`. */
  capture?(ref: AttemptRef & { key: string; amount: string; currency: string }): Promise<PaymentOutcome>;
  /** Voids an approved attempt before settlement, idempotent under `key`. */
  void?(ref: AttemptRef & { key: string }): Promise<PaymentOutcome>;
}

/** An attempt that is not final (pending, unknown or needing attention), as a store indexes it. */
export interface OpenAttempt {
  readonly saleId: string;
  readonly attemptId: string;
}

/**
 * Durable storage of payment records. A record is durable once `append` resolves: the
 * session journals every attempt before its first request leaves.
 *
 * `append` and `records` are all a store must do. The optional members let a store keep a
 * till fast as history grows and hold the terminal lock across processes; the in-package
 * stores implement all of them. Without them a session folds every record of the store
 * for its busy check (linear in history) and holds the terminal lock within one process only.
 */
export interface PaymentStore {
  /** Appends one record durably. */
  append(record: PaymentRecord): Promise<void>;
  /** Every record, in append order per sale; only those of one sale when `saleId` is given. */
  records(query?: { saleId?: string }): Promise<readonly PaymentRecord[]>;
  /**
   * Runs `fn` while no other session can start an attempt: no other caller of `exclusive`
   * in this process and, for a store shared between processes, in any other process.
   * `fn` sees every record appended before it began. The session holds it from its busy
   * check until the new attempt is journaled, which is the terminal lock.
   */
  exclusive?<T>(fn: () => Promise<T>): Promise<T>;
  /** Attempts on `provider` that are not final, across every sale, without reading closed sales. */
  openAttempts?(provider: string): Promise<readonly OpenAttempt[]>;
  /** Sales that may have recovery work (not settled), without reading closed sales. */
  openSales?(): Promise<readonly string[]>;
}

/**
 * Where an attempt stands. `pending`: journaled, no outcome yet; `unknown`: money may have
 * moved, inquiries are running; `needs_attention`: inquiries gave up, a person must resolve
 * it. The rest are final. States only move forward.
 */
export type AttemptStatus =
  | 'pending'
  | 'unknown'
  | 'needs_attention'
  | 'approved'
  | 'partially_approved'
  | 'declined'
  | 'canceled'
  | 'failed';

/** A refund of one tender. */
export interface TenderRefund {
  readonly refundId: string;
  readonly key: string;
  readonly amount: string;
  readonly status: 'pending' | 'approved' | 'declined' | 'failed' | 'unknown';
}

/**
 * One payment attempt of a sale and, when approved, a tender. This is what receipts and
 * checkout read: method, amount, change, brand, last four, auth code and provider reference.
 */
export interface Tender {
  readonly attemptId: string;
  readonly provider: string;
  readonly method: 'cash' | 'card' | 'external';
  readonly status: AttemptStatus;
  /** What was asked (for cash: the part of the sale the cash pays, before rounding). */
  readonly requested: string;
  /** What this tender pays toward the sale (approved amount; for cash, the amount kept). */
  readonly amount: string;
  /** A tip on top of `amount`, never part of what is due. */
  readonly tip?: string;
  /** Cash handed over by the customer. */
  readonly tendered?: string;
  /** Change given back (cash only). */
  readonly change?: string;
  /** Cash rounding this tender carries (`amount` minus the exact amount it settled). */
  readonly rounding?: string;
  readonly card?: CardDetails;
  readonly authCode?: string;
  readonly providerRef?: string;
  /** Decline reason code, for a declined attempt. */
  readonly declineCode?: string;
  /** Why the attempt failed or is unknown. */
  readonly reason?: string;
  /** `none`, or where a void of this tender stands. */
  readonly void: 'none' | 'pending' | 'voided' | 'failed';
  readonly voidReason?: VoidReason;
  /** Sum of approved refunds. */
  readonly refunded: string;
  readonly refunds: readonly TenderRefund[];
  /** Inquiries that answered "in progress". */
  readonly inquiries: number;
  /** A person's resolution of an attempt that needed attention. */
  readonly resolution?: {
    readonly resolution: 'approved' | 'not_charged';
    readonly by: string;
    readonly note: string;
  };
  readonly cancelRequested: boolean;
  readonly createdAt: number;
}

/** The payment state of a sale; every amount is a decimal string in `currency`. */
export interface PaymentSessionState {
  readonly saleId: string;
  readonly currency: string;
  /** The sale total. */
  readonly total: string;
  /** Sum of the cash tenders' rounding. */
  readonly rounding: string;
  /** Paid toward the sale by approved tenders that are not voided (tips excluded). */
  readonly paid: string;
  /** `total + rounding - paid`; never below zero. */
  readonly due: string;
  /** Change given in cash. */
  readonly change: string;
  /** Sum of tips. */
  readonly tips: string;
  /** Sum of approved refunds. */
  readonly refunded: string;
  /** `paid` when nothing is due, `open` otherwise. */
  readonly status: 'open' | 'paid';
  /** Every attempt, approved or not, in order. */
  readonly tenders: readonly Tender[];
  /** Providers that take no new attempt now (in flight, unknown or needing attention). */
  readonly busy: readonly string[];
  /** Latest progress of attempts in flight (transient, not journaled). */
  readonly progress: Readonly<Record<string, ProgressStage>>;
}

/** Events of a session, for drivers and UIs: progress, the drawer, outcomes. */
export type PaymentSessionEvent =
  | {
      readonly type: 'progress';
      readonly attemptId: string;
      readonly stage: ProgressStage;
      readonly card?: CardDetails;
    }
  | { readonly type: 'outcome'; readonly attemptId: string; readonly status: AttemptStatus }
  | { readonly type: 'drawer_open'; readonly saleId: string; readonly attemptId: string }
  | { readonly type: 'needs_attention'; readonly attemptId: string; readonly reason: string }
  | { readonly type: 'voided'; readonly attemptId: string }
  | {
      readonly type: 'refunded';
      readonly refundId: string;
      readonly attemptId: string;
      readonly amount: string;
    };
