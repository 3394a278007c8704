import { Decimal } from '../money/decimal.js';
import type {
  AttemptStatus,
  PaymentOutcome,
  PaymentRecord,
  PaymentSessionState,
  ProgressStage,
  Tender,
  TenderRefund,
  VoidReason,
} from './types.js';

/*
 * The pure core of the payments module: a sale's payment state is a fold over its store
 * records. The live session and a session rebuilt after a crash run this same fold, which
 * is what makes "tear the session down at any moment and rebuild it" exact.
 */

type Rec<T extends PaymentRecord['type']> = Extract<PaymentRecord, { type: T }>;

/** @internal */
export interface AttemptModel {
  record: Rec<'attempt'>;
  status: AttemptStatus;
  outcome?: PaymentOutcome;
  reason?: string;
  inquiries: number;
  void: Tender['void'];
  voidKey?: string;
  voidReason?: VoidReason;
  refunds: (TenderRefund & { attemptId: string; exact?: string })[];
  resolution?: Rec<'resolution'>;
  /** Set when the attempt needs attention because the provider's answer made no sense. */
  attentionCode?: 'payment.provider_error';
  cancelRequested: boolean;
}

/** @internal */
export interface SaleModel {
  saleId: string;
  session?: Rec<'session'>;
  completed: boolean;
  attempts: Map<string, AttemptModel>;
  webhooks: Set<string>;
}

const FINAL: ReadonlySet<AttemptStatus> = new Set([
  'approved',
  'partially_approved',
  'declined',
  'canceled',
  'failed',
]);

/** True once an attempt can no longer change (apart from voids and refunds). */
export function isFinal(status: AttemptStatus): boolean {
  return FINAL.has(status);
}

/** True while an attempt may still move money: the terminal is blocked. */
export function isOpen(status: AttemptStatus): boolean {
  return status === 'pending' || status === 'unknown' || status === 'needs_attention';
}

function rank(status: AttemptStatus): number {
  if (status === 'pending') return 0;
  if (status === 'unknown') return 1;
  if (status === 'needs_attention') return 2;
  return 3;
}

function refundStatus(outcome: PaymentOutcome): TenderRefund['status'] {
  switch (outcome.status) {
    case 'approved':
    case 'partially_approved':
      return 'approved';
    case 'declined':
    case 'canceled':
      return 'declined';
    case 'failed':
      return 'failed';
    default:
      return 'unknown';
  }
}

/** Applies one record to the models of all sales. States only move forward. @internal */
export function applyRecord(sales: Map<string, SaleModel>, r: PaymentRecord): void {
  let sale = sales.get(r.saleId);
  if (!sale) {
    sale = { saleId: r.saleId, completed: false, attempts: new Map(), webhooks: new Set() };
    sales.set(r.saleId, sale);
  }
  switch (r.type) {
    case 'session':
      sale.session ??= r;
      return;
    case 'complete':
      sale.completed = true;
      return;
    case 'attempt':
      if (!sale.attempts.has(r.attemptId)) {
        sale.attempts.set(r.attemptId, {
          record: r,
          status: 'pending',
          inquiries: 0,
          void: 'none',
          refunds: [],
          cancelRequested: false,
        });
      }
      return;
    case 'webhook':
      sale.webhooks.add(r.eventId);
      return;
    case 'refund':
      for (const part of r.parts) {
        const target = sale.attempts.get(part.attemptId);
        if (target && !target.refunds.some((p) => p.key === part.key)) {
          target.refunds.push({
            refundId: r.refundId,
            key: part.key,
            amount: part.amount,
            status: 'pending',
            attemptId: part.attemptId,
            ...(part.exact === undefined ? {} : { exact: part.exact }),
          });
        }
      }
      return;
    default:
      break;
  }
  const a = sale.attempts.get(r.attemptId);
  if (!a) return;
  switch (r.type) {
    case 'outcome': {
      if (isFinal(a.status)) return;
      if (r.outcome.status === 'unknown') {
        if (rank(a.status) < rank('unknown')) a.status = 'unknown';
        a.reason = r.outcome.reason;
        return;
      }
      a.status = r.outcome.status;
      a.outcome = r.outcome;
      if (r.outcome.status === 'failed') a.reason = r.outcome.reason;
      return;
    }
    case 'inquiry':
      a.inquiries += 1;
      return;
    case 'attention':
      if (rank(a.status) < rank('needs_attention')) a.status = 'needs_attention';
      a.reason = r.reason;
      if (r.code !== undefined) a.attentionCode = r.code;
      return;
    case 'resolution':
      if (isFinal(a.status)) return;
      a.resolution = r;
      if (r.resolution === 'approved') {
        a.status = 'approved';
        a.outcome = {
          status: 'approved',
          amount: r.amount ?? a.record.amount,
          ...(r.authCode === undefined ? {} : { authCode: r.authCode }),
        };
      } else {
        a.status = 'failed';
        a.reason = 'resolved as not charged';
      }
      return;
    case 'cancel':
      a.cancelRequested = true;
      return;
    case 'void':
      if (a.void === 'none' || a.void === 'failed') {
        a.void = 'pending';
        a.voidKey = r.key;
        a.voidReason = r.reason;
      }
      return;
    case 'void_outcome': {
      if (a.void !== 'pending' || a.voidKey !== r.key) return;
      const s = r.outcome.status;
      if (s === 'approved' || s === 'partially_approved') a.void = 'voided';
      else if (s !== 'unknown') a.void = 'failed';
      return;
    }
    case 'refund_outcome': {
      const part = a.refunds.find((p) => p.key === r.key);
      if (part && (part.status === 'pending' || part.status === 'unknown')) {
        Object.assign(part, { status: refundStatus(r.outcome) });
      }
      return;
    }
  }
}

/**
 * True when recovery has something to do for a sale: an attempt to resolve, a void or
 * refund to resend, a partial or late approval that may have to be voided. @internal
 */
export function needsWork(sale: SaleModel): boolean {
  for (const a of sale.attempts.values()) {
    if (
      (isOpen(a.status) && a.status !== 'needs_attention') ||
      a.void === 'pending' ||
      a.refunds.some((r) => r.status === 'pending' || r.status === 'unknown') ||
      (a.status === 'partially_approved' && a.void === 'none') ||
      (a.cancelRequested &&
        a.void === 'none' &&
        (a.status === 'approved' || a.status === 'partially_approved'))
    ) {
      return true;
    }
  }
  return false;
}

/** Folds records into per-sale models. @internal */
export function reduceRecords(records: readonly PaymentRecord[]): Map<string, SaleModel> {
  const sales = new Map<string, SaleModel>();
  for (const r of records) applyRecord(sales, r);
  return sales;
}

const dec = (s: string | undefined) => new Decimal(s ?? 0);

/** What a tender pays toward the sale (zero unless approved and not voided). @internal */
export function paidBy(a: AttemptModel): Decimal {
  if (a.void === 'voided') return new Decimal(0);
  if (a.status !== 'approved' && a.status !== 'partially_approved') return new Decimal(0);
  if (a.record.method === 'cash') return dec(a.record.amount);
  return a.outcome && 'amount' in a.outcome ? dec(a.outcome.amount) : new Decimal(0);
}

/** Amount of a tender that may still be refunded (captured minus refunds not failed). @internal */
export function refundableOf(a: AttemptModel): Decimal {
  let left = paidBy(a);
  for (const r of a.refunds)
    if (r.status !== 'declined' && r.status !== 'failed') left = left.minus(r.amount);
  return Decimal.max(left, 0);
}

/** Money reserved by attempts that may still move money. @internal */
export function reservedOf(sale: SaleModel): Decimal {
  let total = new Decimal(0);
  for (const a of sale.attempts.values()) if (isOpen(a.status)) total = total.plus(a.record.amount);
  return total;
}

function fmt(d: Decimal, decimals: number): string {
  return d.toFixed(Math.max(decimals, d.decimalPlaces()));
}

/** Builds the public view of one attempt. @internal */
export function toTender(a: AttemptModel, decimals: number): Tender {
  const r = a.record;
  const o = a.outcome;
  const cash = r.method === 'cash';
  const approved = a.status === 'approved' || a.status === 'partially_approved';
  const refunded = a.refunds
    .filter((p) => p.status === 'approved')
    .reduce((s, p) => s.plus(p.amount), new Decimal(0));
  const requested = cash ? dec(r.amount).minus(dec(r.rounding)) : dec(r.amount);
  const tender: Tender = {
    attemptId: r.attemptId,
    provider: r.provider,
    method: r.method,
    status: a.status,
    requested: fmt(requested, decimals),
    amount: fmt(
      approved ? (cash ? dec(r.amount) : dec(o && 'amount' in o ? o.amount : '0')) : new Decimal(0),
      decimals,
    ),
    ...(r.tip !== undefined ? { tip: approved && o && 'tip' in o && o.tip ? o.tip : r.tip } : {}),
    ...(cash && r.tendered !== undefined ? { tendered: r.tendered } : {}),
    ...(cash && r.change !== undefined ? { change: r.change } : {}),
    ...(cash && r.rounding !== undefined ? { rounding: r.rounding } : {}),
    ...(o && 'card' in o && o.card ? { card: o.card } : {}),
    ...(r.entry?.last4 && r.entry.brand
      ? { card: { brand: r.entry.brand, last4: r.entry.last4, entryMode: 'manual' as const } }
      : {}),
    ...(o && 'authCode' in o && o.authCode ? { authCode: o.authCode } : {}),
    ...(o && 'providerRef' in o && o.providerRef ? { providerRef: o.providerRef } : {}),
    ...(o && o.status === 'declined' ? { declineCode: o.reasonCode } : {}),
    ...(a.reason !== undefined && !approved ? { reason: a.reason } : {}),
    void: a.void,
    ...(a.voidReason !== undefined ? { voidReason: a.voidReason } : {}),
    refunded: fmt(refunded, decimals),
    refunds: a.refunds.map(({ attemptId: _, exact: __, ...p }) => ({ ...p })),
    inquiries: a.inquiries,
    ...(a.resolution
      ? { resolution: { resolution: a.resolution.resolution, by: a.resolution.by, note: a.resolution.note } }
      : {}),
    cancelRequested: a.cancelRequested,
    createdAt: r.at,
  };
  return tender;
}

/** The public state of a sale. @internal */
export function toState(
  sale: SaleModel,
  decimals: number,
  progress: Readonly<Record<string, ProgressStage>>,
): PaymentSessionState {
  const s = sale.session!;
  let paid = new Decimal(0);
  let rounding = new Decimal(0);
  let change = new Decimal(0);
  let tips = new Decimal(0);
  let refunded = new Decimal(0);
  const busy = new Set<string>();
  const tenders: Tender[] = [];
  for (const a of sale.attempts.values()) {
    const t = toTender(a, decimals);
    tenders.push(t);
    if (isOpen(a.status)) busy.add(a.record.provider);
    const p = paidBy(a);
    if (p.isZero() && a.record.method !== 'cash') continue;
    if (a.void === 'voided' || (a.status !== 'approved' && a.status !== 'partially_approved')) continue;
    paid = paid.plus(p);
    rounding = rounding.plus(dec(a.record.rounding));
    change = change.plus(dec(a.record.change));
    tips = tips.plus(dec(t.tip));
    refunded = refunded.plus(t.refunded);
  }
  const due = Decimal.max(dec(s.total).plus(rounding).minus(paid), 0);
  return {
    saleId: sale.saleId,
    currency: s.currency,
    total: s.total,
    rounding: fmt(rounding, decimals),
    paid: fmt(paid, decimals),
    due: fmt(due, decimals),
    change: fmt(change, decimals),
    tips: fmt(tips, decimals),
    refunded: fmt(refunded, decimals),
    status: due.isZero() ? 'paid' : 'open',
    tenders,
    busy: [...busy],
    progress: { ...progress },
  };
}

/**
 * Checks a provider's outcome against its request. An approval above the amount asked is an
 * error (money the sale never asked for must not be booked, nor refunded later); an
 * approval below it is a partial approval, whatever the provider called it, so the partial
 * rules apply. @internal
 */
export function checkOutcome(
  a: AttemptModel,
  outcome: PaymentOutcome,
  decimals: number,
): { outcome: PaymentOutcome; error?: undefined } | { error: string; outcome?: undefined } {
  if (outcome.status !== 'approved' && outcome.status !== 'partially_approved') return { outcome };
  const requested = new Decimal(a.record.amount);
  const approved = new Decimal(outcome.amount);
  if (approved.gt(requested)) {
    return {
      error: `provider approved ${approved.toFixed(decimals)} on a request of ${requested.toFixed(decimals)}`,
    };
  }
  if (approved.eq(requested)) {
    if (outcome.status === 'approved') return { outcome };
    const { requested: _, ...rest } = outcome;
    return { outcome: { ...rest, status: 'approved' } };
  }
  if (approved.lte(0)) return { outcome: { status: 'declined', reasonCode: 'approved_nothing' } };
  const { status: _, ...rest } = outcome;
  return {
    outcome: {
      ...rest,
      status: 'partially_approved',
      requested: requested.toFixed(Math.max(decimals, requested.decimalPlaces())),
    },
  };
}
