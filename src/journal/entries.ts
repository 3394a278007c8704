import * as z from 'zod/mini';
import type { PricedCart } from '../cart/types.js';
import { isPlainRecord } from '../plain.js';

// The data of every journal entry type. These shapes are part of the journal's format: an entry
// written today must parse and verify in ten years, so a field is never renamed or retyped in
// place. Growing the format means a new format version (`v`) with its own schemas beside these.

/** A decimal amount or quantity as a string (`"12.10"`, `"-1"`, `"0.375"`): never a JS number. */
export const decimalString = z
  .string()
  .check(z.regex(/^-?(0|[1-9]\d{0,17})(\.\d{1,6})?$/, 'expected a decimal string like "12.10"'));
/** An ISO 8601 instant in UTC with milliseconds (`2026-12-03T07:01:02.345Z`). */
export const utcInstant = z
  .string()
  .check(
    z.regex(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
      'expected a UTC instant like 2026-12-03T07:01:02.345Z',
    ),
  );
/** A calendar date (`2026-12-03`), used for business dates. */
export const isoDate = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date like 2026-12-03'));
const id = z.string().check(z.minLength(1), z.maxLength(200));
const text = (max = 200) => z.string().check(z.maxLength(max));
const currency = z.string().check(z.regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code'));
const count = z.int().check(z.nonnegative());

/** Who did it: the cashier or manager logged in at the register. */
export const operatorSchema = z.strictObject({
  id,
  name: z.exactOptional(text()),
});
/** Who did it: the cashier or manager logged in at the register. */
export type Operator = z.infer<typeof operatorSchema>;

/** A pointer to an earlier entry (the original of a return, a void or a reprint). */
export const entryRefSchema = z.strictObject({
  /** The journal id of the entry (`register:seq`). */
  entry: id,
  saleId: z.exactOptional(id),
  receiptNumber: z.exactOptional(id),
  /** The register that wrote the original, when another one did (a return at another till). */
  register: z.exactOptional(id),
  businessDate: z.exactOptional(isoDate),
});
/** A pointer to an earlier entry (the original of a return, a void or a reprint). */
export type EntryRef = z.infer<typeof entryRefSchema>;

/** One tax of one line, as fiscal exports need it. */
export const lineTaxSchema = z.strictObject({
  /** The tax key the fiscal export uses (DSFinV-K USt-Schlüssel, NF525 code, RKSV Satz). */
  key: id,
  /** Rate in percent (`"19"`); absent for a fixed amount per unit (a deposit). */
  rate: z.exactOptional(decimalString),
  net: decimalString,
  tax: decimalString,
  gross: decimalString,
});
/** One tax of one line, as fiscal exports need it. */
export type LineTax = z.infer<typeof lineTaxSchema>;

/**
 * One line of a sale or return, with every field a fiscal export reads (DSFinV-K's
 * `lines.csv`, NF525's ticket lines, RKSV's Belegdaten). Quantities are negative on returns.
 */
export const fiscalLineSchema = z.strictObject({
  /** The priced cart's line id. */
  lineId: id,
  /** The item number (SKU). */
  itemNumber: id,
  gtin: z.exactOptional(z.string().check(z.regex(/^\d{8,14}$/, 'expected a GTIN of 8 to 14 digits'))),
  /** The goods group (Warengruppe). */
  group: z.exactOptional(z.strictObject({ id, name: z.exactOptional(text()) })),
  /** The text printed on the receipt. */
  text: text(500),
  quantity: decimalString,
  unit: z.exactOptional(text(16)),
  unitPrice: decimalString,
  /** Whether `unitPrice` and `parts` include tax. */
  priceIncludesTax: z.boolean(),
  /** The tax key and rate of the line (the first tax when it has several). */
  taxKey: id,
  taxRate: z.exactOptional(decimalString),
  taxes: z.array(lineTaxSchema),
  gross: decimalString,
  net: decimalString,
  tax: decimalString,
  /** The parts of the price: base (unit price × quantity), discount, surcharge (all ≥ 0 on a sale). */
  parts: z.strictObject({
    base: decimalString,
    discount: decimalString,
    surcharge: decimalString,
  }),
  /** Each discount, promotion or override behind `parts`. */
  adjustments: z.exactOptional(
    z.array(z.strictObject({ source: id, id, amount: decimalString, label: text() })),
  ),
  /** For a returned line: the sale and line it came from. */
  returnOf: z.exactOptional(z.strictObject({ saleId: id, lineId: id, entry: z.exactOptional(id) })),
});
/** One line of a sale or return, with every field a fiscal export reads. */
export type FiscalLine = z.infer<typeof fiscalLineSchema>;

/** The totals of one tax rate, as printed on the receipt. */
export const taxTotalSchema = z.strictObject({
  key: id,
  rate: z.exactOptional(decimalString),
  net: decimalString,
  tax: decimalString,
  gross: decimalString,
});
/** The totals of one tax rate, as printed on the receipt. */
export type TaxTotal = z.infer<typeof taxTotalSchema>;

/** The totals of a sale or return. */
export const saleTotalsSchema = z.strictObject({
  /** Sum of the lines' gross. */
  gross: decimalString,
  net: decimalString,
  tax: decimalString,
  /** All discounts (positive). */
  discount: decimalString,
  /** Cash rounding added to the total (may be negative). */
  cashRounding: decimalString,
  /** What was paid: gross plus cash rounding. */
  paid: decimalString,
});
/** The totals of a sale or return. */
export type SaleTotals = z.infer<typeof saleTotalsSchema>;

/** The kind of a tender, as fiscal exports group them (DSFinV-K Zahlart). */
export const tenderTypeSchema = z.enum(['cash', 'card', 'voucher', 'transfer', 'on-account', 'other']);
/** The kind of a tender, as fiscal exports group them (DSFinV-K Zahlart). */
export type TenderType = z.infer<typeof tenderTypeSchema>;

/** One tender of a sale: what was paid how, with the provider's references. No card numbers, ever. */
export const tenderRecordSchema = z.strictObject({
  /** The payment attempt's id (the idempotency key sent to the provider). */
  attemptId: id,
  type: tenderTypeSchema,
  /** The provider id (`cash`, `stripe-terminal`, ...). */
  provider: id,
  /** What this tender pays toward the sale (negative for a refund). */
  amount: decimalString,
  /** The tender's currency when it is not the sale's (a foreign cash tender). */
  currency: z.exactOptional(currency),
  tip: z.exactOptional(decimalString),
  tendered: z.exactOptional(decimalString),
  change: z.exactOptional(decimalString),
  rounding: z.exactOptional(decimalString),
  providerRef: z.exactOptional(text()),
  authCode: z.exactOptional(text(64)),
  card: z.exactOptional(
    z.strictObject({
      brand: z.exactOptional(text(32)),
      last4: z.exactOptional(z.string().check(z.regex(/^\d{4}$/))),
      entryMode: z.exactOptional(text(32)),
    }),
  ),
});
/** One tender of a sale. */
export type TenderRecord = z.infer<typeof tenderRecordSchema>;

/** A stock movement caused by an entry: signed quantity, never a level written in place. */
export const stockMovementRecordSchema = z.strictObject({
  /** Globally unique, derived from the entry (`register:seq:lineId`), so a resend is a no-op. */
  id,
  sku: id,
  location: id,
  /** Signed: negative takes stock out (a sale), positive brings it in (a return, a receipt). */
  quantity: decimalString,
  /** `sale`, `return`, `online-sale`, `receipt`, `count`, `transfer`, `reservation`, `damage`, ... */
  reason: id,
  channel: z.exactOptional(id),
  ref: z.exactOptional(id),
  /** Defaults to the entry's `at`. */
  at: z.exactOptional(utcInstant),
});
/** A stock movement caused by an entry. */
export type StockMovementRecord = z.infer<typeof stockMovementRecordSchema>;

const customerRef = z.strictObject({
  id,
  groups: z.exactOptional(z.array(id)),
  taxExempt: z.exactOptional(z.boolean()),
});

/** A priced cart, stored as the cart engine produced it. */
const pricedCart = z.custom<PricedCart>(
  (v) => isPlainRecord(v) && Array.isArray(v.lines) && isPlainRecord(v.totals),
  'expected a priced cart',
);

const saleBody = {
  saleId: id,
  /** The receipt number printed (Belegnummer), unique per register. */
  receiptNumber: id,
  operator: operatorSchema,
  /** The terminal within the register, when a register has several (DSFinV-K Terminal-ID). */
  terminal: z.exactOptional(id),
  currency,
  /** When the sale was started (the first line scanned), for fiscal exports' start time. */
  startedAt: z.exactOptional(utcInstant),
  /** The priced cart, as the cart engine produced it. */
  cart: pricedCart,
  lines: z.array(fiscalLineSchema),
  taxTotals: z.array(taxTotalSchema),
  totals: saleTotalsSchema,
  tenders: z.array(tenderRecordSchema),
  customer: z.exactOptional(customerRef),
  /** The stock movements this entry caused. */
  stockMovements: z.array(stockMovementRecordSchema),
};

/** `sale.completed`: a sale paid in full. */
export const saleCompletedSchema = z.strictObject({
  ...saleBody,
  /** The parked sale this one was recalled from. */
  parkedFrom: z.exactOptional(entryRefSchema),
});
/** `sale.completed`: a sale paid in full. */
export type SaleCompleted = z.infer<typeof saleCompletedSchema>;

/** `return.completed`: goods taken back and money refunded. Quantities and amounts are negative. */
export const returnCompletedSchema = z.strictObject({
  ...saleBody,
  /** The sales the goods were bought in; empty for a return without a receipt (then `reason`). */
  originals: z.array(entryRefSchema),
  reason: z.exactOptional(text(500)),
  approvedBy: z.exactOptional(operatorSchema),
});
/** `return.completed`: goods taken back and money refunded. */
export type ReturnCompleted = z.infer<typeof returnCompletedSchema>;

/**
 * `sale.voided`: a sale abandoned before completion (`stage: 'open'`, nothing was paid or what was
 * paid was given back) or cancelled after completion (`stage: 'completed'`, with `original`).
 * The original entry is never rewritten: this entry reverses it.
 */
export const saleVoidedSchema = z.strictObject({
  saleId: id,
  receiptNumber: z.exactOptional(id),
  operator: operatorSchema,
  terminal: z.exactOptional(id),
  stage: z.enum(['open', 'completed']),
  reason: text(500),
  approvedBy: z.exactOptional(operatorSchema),
  original: z.exactOptional(entryRefSchema),
  currency: z.exactOptional(currency),
  /** The cart as it stood when voided. */
  cart: z.exactOptional(pricedCart),
  lines: z.exactOptional(z.array(fiscalLineSchema)),
  taxTotals: z.exactOptional(z.array(taxTotalSchema)),
  totals: z.exactOptional(saleTotalsSchema),
  /** Tenders reversed by the void (negative amounts). */
  tenders: z.exactOptional(z.array(tenderRecordSchema)),
  /** Movements reversing the original's. */
  stockMovements: z.exactOptional(z.array(stockMovementRecordSchema)),
});
/** `sale.voided`. */
export type SaleVoided = z.infer<typeof saleVoidedSchema>;

/** `sale.parked`: an open sale put aside to be recalled later. */
export const saleParkedSchema = z.strictObject({
  saleId: id,
  operator: operatorSchema,
  terminal: z.exactOptional(id),
  currency,
  cart: pricedCart,
  lines: z.exactOptional(z.array(fiscalLineSchema)),
  note: z.exactOptional(text(500)),
  /** The cart as input data (`CartStore.input()`), so a recall prices it again exactly. */
  input: z.exactOptional(z.record(z.string(), z.unknown())),
});
/** `sale.parked`. */
export type SaleParked = z.infer<typeof saleParkedSchema>;

/**
 * `sale.tendering`: the cart was closed for payment. Journaled before the first payment request
 * leaves, so that after a crash the sale is rebuilt exactly and its payments are resumed, never
 * charged again.
 */
export const saleTenderingSchema = z.strictObject({
  saleId: id,
  operator: operatorSchema,
  terminal: z.exactOptional(id),
  currency,
  cart: pricedCart,
  /** The cart as input data (`CartStore.input()`). */
  input: z.record(z.string(), z.unknown()),
  /** The parked sale this one was recalled from. */
  parkedFrom: z.exactOptional(entryRefSchema),
});
/** `sale.tendering`. */
export type SaleTendering = z.infer<typeof saleTenderingSchema>;

/** `sale.recalled`: a parked sale taken up again. */
export const saleRecalledSchema = z.strictObject({
  saleId: id,
  operator: operatorSchema,
  parked: entryRefSchema,
});
/** `sale.recalled`. */
export type SaleRecalled = z.infer<typeof saleRecalledSchema>;

/** The payment transitions journaled, one entry type each. */
export const PAYMENT_ENTRY_TYPES = [
  'payment.started',
  'payment.approved',
  'payment.declined',
  'payment.failed',
  'payment.canceled',
  'payment.unknown',
  'payment.resolved',
  'payment.refunded',
  'payment.voided',
] as const;
/** A payment transition's entry type. */
export type PaymentEntryType = (typeof PAYMENT_ENTRY_TYPES)[number];

/**
 * `payment.*`: one transition of a payment attempt. `payment.started` is journaled before the
 * terminal is asked, so a crash leaves a record to inquire about instead of charging twice.
 */
export const paymentTransitionSchema = z.strictObject({
  saleId: id,
  attemptId: id,
  provider: id,
  type: tenderTypeSchema,
  amount: decimalString,
  currency,
  tip: z.exactOptional(decimalString),
  providerRef: z.exactOptional(text()),
  authCode: z.exactOptional(text(64)),
  card: z.exactOptional(
    z.strictObject({
      brand: z.exactOptional(text(32)),
      last4: z.exactOptional(z.string().check(z.regex(/^\d{4}$/))),
      entryMode: z.exactOptional(text(32)),
    }),
  ),
  declineCode: z.exactOptional(text(64)),
  reason: z.exactOptional(text(500)),
  /** For a refund: its id; for a resolution: who resolved it. */
  refundId: z.exactOptional(id),
  resolvedBy: z.exactOptional(operatorSchema),
});
/** `payment.*`. */
export type PaymentTransition = z.infer<typeof paymentTransitionSchema>;

/** `cash.in` and `cash.out`: money put into or taken out of the drawer outside a sale. */
export const cashMovementSchema = z.strictObject({
  operator: operatorSchema,
  shiftId: z.exactOptional(id),
  /** Positive. */
  amount: decimalString,
  currency,
  /** `float`, `deposit`, `bank`, `expense`, `tip-payout`, ... */
  reason: text(200),
  note: z.exactOptional(text(500)),
  ref: z.exactOptional(id),
});
/** `cash.in` and `cash.out`. */
export type CashMovement = z.infer<typeof cashMovementSchema>;

/** `drawer.opened`: the drawer opened, with why (`no-sale` when no sale asked for it). */
export const drawerOpenedSchema = z.strictObject({
  operator: operatorSchema,
  reason: z.enum(['no-sale', 'sale', 'cash-in', 'cash-out', 'shift', 'other']),
  ref: z.exactOptional(entryRefSchema),
  note: z.exactOptional(text(500)),
});
/** `drawer.opened`. */
export type DrawerOpened = z.infer<typeof drawerOpenedSchema>;

const tenderAmount = z.strictObject({ type: tenderTypeSchema, currency, amount: decimalString });

/** `shift.opened`: a cashier starts with a float. */
export const shiftOpenedSchema = z.strictObject({
  shiftId: id,
  operator: operatorSchema,
  currency,
  float: decimalString,
});
/** `shift.opened`. */
export type ShiftOpened = z.infer<typeof shiftOpenedSchema>;

/** `shift.closed`: the count at the end of a shift. */
export const shiftClosedSchema = z.strictObject({
  shiftId: id,
  operator: operatorSchema,
  currency,
  /** What the journal says should be there, per tender type. */
  expected: z.array(tenderAmount),
  /** What was counted. */
  counted: z.array(tenderAmount),
  /** Counted minus expected, per tender type. */
  difference: z.array(tenderAmount),
  note: z.exactOptional(text(500)),
});
/** `shift.closed`. */
export type ShiftClosed = z.infer<typeof shiftClosedSchema>;

/** The figures an X or Z report carries; the reports module computes them from the journal. */
const reportBody = {
  operator: operatorSchema,
  currency,
  businessDate: isoDate,
  /** The journal range the report covers (inclusive sequence numbers). */
  fromSeq: z.int().check(z.positive()),
  toSeq: z.int().check(z.nonnegative()),
  totals: z.strictObject({
    gross: decimalString,
    net: decimalString,
    tax: decimalString,
    discount: decimalString,
    cashRounding: decimalString,
  }),
  taxTotals: z.array(taxTotalSchema),
  tenders: z.array(z.strictObject({ type: tenderTypeSchema, currency, amount: decimalString, count })),
  counts: z.strictObject({
    sales: count,
    returns: count,
    voids: count,
    noSales: count,
    reprints: count,
  }),
  cash: z.exactOptional(
    z.strictObject({ float: decimalString, in: decimalString, out: decimalString, expected: decimalString }),
  ),
  /** The full report document as the reports module built it (plain JSON). */
  report: z.exactOptional(z.record(z.string(), z.unknown())),
};

/** `report.x`: a reading that resets nothing. */
export const reportXSchema = z.strictObject({ ...reportBody });
/** `report.x`. */
export type ReportX = z.infer<typeof reportXSchema>;

/** `report.z`: the day's closing. Numbered from 1 without gaps; the grand total is never reset. */
export const reportZSchema = z.strictObject({
  ...reportBody,
  zNumber: z.int().check(z.positive()),
  /** The sum of every sale's gross since the register's first entry (never reset). */
  grandTotal: decimalString,
  /** The grand total of the previous Z (zero on the first). */
  previousGrandTotal: decimalString,
});
/** `report.z`. */
export type ReportZ = z.infer<typeof reportZSchema>;

/** `receipt.reprinted`: a copy of an earlier receipt printed (marked as a copy). */
export const receiptReprintedSchema = z.strictObject({
  operator: operatorSchema,
  original: entryRefSchema,
  /** 1 for the first copy. */
  copyNumber: z.int().check(z.positive()),
  reason: z.exactOptional(text(500)),
});
/** `receipt.reprinted`. */
export type ReceiptReprinted = z.infer<typeof receiptReprintedSchema>;

/** `stock.moved`: stock movements outside a sale (goods received, a count, a transfer, damage). */
export const stockMovedSchema = z.strictObject({
  operator: z.exactOptional(operatorSchema),
  movements: z.array(stockMovementRecordSchema).check(z.minLength(1)),
  note: z.exactOptional(text(500)),
});
/** `stock.moved`. */
export type StockMoved = z.infer<typeof stockMovedSchema>;

/** `print.failed`: a receipt or report could not be printed. */
export const printFailedSchema = z.strictObject({
  ref: z.exactOptional(entryRefSchema),
  device: z.exactOptional(text()),
  error: text(1000),
});
/** `print.failed`. */
export type PrintFailed = z.infer<typeof printFailedSchema>;

/** `offline.started`: the register lost its connection to the back office or the providers. */
export const offlineStartedSchema = z.strictObject({
  reason: z.exactOptional(text(1000)),
});
/** `offline.started`. */
export type OfflineStarted = z.infer<typeof offlineStartedSchema>;

/** `offline.ended`: connection back. */
export const offlineEndedSchema = z.strictObject({
  since: utcInstant,
  /** Entries waiting to be sent when the connection came back. */
  pending: z.exactOptional(count),
});
/** `offline.ended`. */
export type OfflineEnded = z.infer<typeof offlineEndedSchema>;

/** `signer.down`: the signer failed; entries are written unsigned (each naming the error) until it is back. */
export const signerDownSchema = z.strictObject({
  keyId: z.exactOptional(text()),
  error: text(1000),
  /** The first entry written without a signature. */
  firstUnsigned: id,
});
/** `signer.down`. */
export type SignerDown = z.infer<typeof signerDownSchema>;

/** `signer.up`: the signer works again; lists every entry written unsigned during the outage. */
export const signerUpSchema = z.strictObject({
  keyId: z.exactOptional(text()),
  since: utcInstant,
  unsigned: z.array(id),
});
/** `signer.up`. */
export type SignerUp = z.infer<typeof signerUpSchema>;

/** `journal.repaired`: storage found a torn tail at open (a crash mid-write) and cut it off. */
export const journalRepairedSchema = z.strictObject({
  storage: text(64),
  /** Bytes (file) or records dropped; none of them was an acknowledged append. */
  dropped: count,
  detail: text(1000),
});
/** `journal.repaired`. */
export type JournalRepaired = z.infer<typeof journalRepairedSchema>;

/** The data schema of every entry type of format version 1. */
export const entryDataSchemasV1 = {
  'sale.completed': saleCompletedSchema,
  'sale.voided': saleVoidedSchema,
  'sale.parked': saleParkedSchema,
  'sale.recalled': saleRecalledSchema,
  'sale.tendering': saleTenderingSchema,
  'return.completed': returnCompletedSchema,
  'payment.started': paymentTransitionSchema,
  'payment.approved': paymentTransitionSchema,
  'payment.declined': paymentTransitionSchema,
  'payment.failed': paymentTransitionSchema,
  'payment.canceled': paymentTransitionSchema,
  'payment.unknown': paymentTransitionSchema,
  'payment.resolved': paymentTransitionSchema,
  'payment.refunded': paymentTransitionSchema,
  'payment.voided': paymentTransitionSchema,
  'cash.in': cashMovementSchema,
  'cash.out': cashMovementSchema,
  'drawer.opened': drawerOpenedSchema,
  'shift.opened': shiftOpenedSchema,
  'shift.closed': shiftClosedSchema,
  'report.x': reportXSchema,
  'report.z': reportZSchema,
  'receipt.reprinted': receiptReprintedSchema,
  'stock.moved': stockMovedSchema,
  'print.failed': printFailedSchema,
  'offline.started': offlineStartedSchema,
  'offline.ended': offlineEndedSchema,
  'signer.down': signerDownSchema,
  'signer.up': signerUpSchema,
  'journal.repaired': journalRepairedSchema,
} as const;

/** Every entry type the journal knows. */
export type EntryType = keyof typeof entryDataSchemasV1;

/** The data of each entry type. */
export type EntryDataMap = { [K in EntryType]: z.infer<(typeof entryDataSchemasV1)[K]> };

/** The data of entry type `T`. */
export type EntryData<T extends EntryType> = EntryDataMap[T];

/** Every entry type, in a stable order. */
export const ENTRY_TYPES = Object.keys(entryDataSchemasV1) as EntryType[];

/** Whether `type` is an entry type of format version 1. */
export function isEntryType(type: unknown): type is EntryType {
  return typeof type === 'string' && Object.hasOwn(entryDataSchemasV1, type);
}

/** The current journal format version, written into every new entry's `v`. */
export const JOURNAL_FORMAT_VERSION = 1;

/** The signature of an entry, or why there is none. */
export type EntrySignature =
  | { readonly alg: string; readonly keyId: string; readonly value: string }
  | { readonly alg: string; readonly keyId: string; readonly error: string };

/**
 * One journal entry. `hash` is SHA-256 (hex) over the RFC 8785 canonical JSON of every other
 * field, signature included; `prev` is the previous entry's hash (64 zeros for seq 1).
 */
export interface JournalEntry<T extends EntryType = EntryType> {
  /** The journal format version. */
  readonly v: number;
  /** `register:seq`: the idempotency key everywhere the entry goes. */
  readonly id: string;
  readonly register: string;
  /** Gapless from 1. */
  readonly seq: number;
  readonly type: T;
  /** The instant, UTC with milliseconds. */
  readonly at: string;
  /** The register's IANA time zone (`Europe/Berlin`). */
  readonly tz: string;
  /** The business date the entry belongs to, in the register's time zone. */
  readonly businessDate: string;
  readonly data: EntryDataMap[T];
  readonly prev: string;
  /** Present when a signer is configured: the signature over the entry, or the signer's error. */
  readonly sig?: EntrySignature;
  readonly hash: string;
}

/** Any journal entry, narrowed by `type`. */
export type AnyJournalEntry = { [K in EntryType]: JournalEntry<K> }[EntryType];
