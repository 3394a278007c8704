import * as z from 'zod/mini';
import { KassaError, parseInput } from '../errors.js';
import { isCurrency } from '../money/currencies.js';
import {
  freezeDocument,
  type ImageBlock,
  type ReceiptBlock,
  type ReceiptDocument,
  type RowColumn,
  type TextStyle,
} from './document.js';
import { createFormatters, type ReceiptFormatters } from './format.js';
import { labelsFor, type ReceiptLabels } from './labels.js';

/** A decimal string: `'12.10'`, `'-0.375'`. */
type Amount = string;

/**
 * One payment of a sale as the receipt shows it. Structural, so the tender objects of
 * `kassa/payments` (or an app's own) can be passed as they are; extra fields are ignored.
 * kassa never sees card numbers: `last4` is at most the last four digits.
 */
export interface ReceiptTender {
  /** `'cash'`, `'card'`, `'gift_card'`, `'voucher'`, `'mobile'` or any id of your own. */
  method: string;
  /** Printed instead of the method's translated name. */
  label?: string | undefined;
  /** What this tender paid (negative for a refund). */
  amount: Amount;
  /** Change given back, for cash. */
  change?: Amount | undefined;
  tip?: Amount | undefined;
  /** Card brand: `'VISA'`, `'Mastercard'`. */
  brand?: string | undefined;
  /** The last four digits of the card; anything longer is rejected. */
  last4?: string | undefined;
  authCode?: string | undefined;
  /** `'contactless'`, `'chip'`, `'swipe'`, `'manual'`, `'wallet'`. */
  entryMode?: string | undefined;
  /** Card details nested, as `kassa/payments` tenders carry them (used when the flat fields are absent). */
  card?:
    | { brand?: string | undefined; last4?: string | undefined; entryMode?: string | undefined }
    | undefined;
  /** Cash handed over; printed as the cash line when present (`amount` is then what was kept). */
  tendered?: Amount | undefined;
  /** Cash rounding this tender carried (`kassa/payments` sets it on cash tenders of a split payment). */
  rounding?: Amount | undefined;
  /** An attempt's status; only `approved` and `partially_approved` tenders are printed. */
  status?: string | undefined;
  /** A voided tender (`'voided'`) is not printed. */
  void?: string | undefined;
}

/** The store's header. */
export interface ReceiptStore {
  name: string;
  address?: readonly string[];
  vatNumber?: string;
  phone?: string;
  website?: string;
  /** A logo printed above the name. */
  logo?: ImageBlock;
}

/** The priced lines and totals of a sale: the shape of `PricedCart` that receipts read. */
export interface ReceiptCart {
  currency: string;
  pricesIncludeTax: boolean;
  lines: {
    id: string;
    sku: string;
    name?: string;
    unit: string;
    unitPrice: Amount;
    quantity: Amount;
    subtotal: Amount;
    taxes: { code: string }[];
    /** `source` is the cart's: price-list and override adjustments are already in the unit price. */
    adjustments: { amount: Amount; label: string; source?: string }[];
    priceOverride?: { unitPrice: Amount; reason: string };
    listUnitPrice?: Amount;
  }[];
  totals: {
    subtotal: Amount;
    discount: Amount;
    tax: Amount;
    total: Amount;
    cashRounding: Amount;
    cashTotal: Amount;
    itemCount?: Amount;
  };
  taxBreakdown: {
    id: string;
    name?: string;
    kind?: 'percent' | 'fixed' | 'division';
    rate?: Amount;
    code: string;
    base: Amount;
    amount: Amount;
    gross?: Amount;
  }[];
  discounts?: readonly { id: string; amount: Amount; reason?: string }[];
  loyalty?: { points: Amount };
}

/**
 * Everything a receipt shows about a sale: the priced cart (a `PricedCart` fits), its
 * tenders, the store, and the facts of this print. Pure data; the time is passed in, never
 * read from a clock.
 */
export interface ReceiptSale {
  cart: ReceiptCart;
  tenders: readonly ReceiptTender[];
  store: ReceiptStore;
  receiptNumber: string;
  /** ISO 8601 time of the sale. */
  time: string;
  cashier?: string;
  register?: string;
  /** The customer's loyalty account; points earned come from `cart.loyalty`. */
  loyalty?: { memberId?: string; balance?: Amount };
  /** A reprint: marked as a copy at the top and the bottom. */
  copy?: boolean;
  /** A return: marked as such, with the original receipt's number when known. */
  return?: boolean | { originalReceipt?: string };
  /**
   * How the sale is found again at a return: a CODE128 barcode (default, the receipt
   * number), a QR code (for example a link to the e-receipt), or nothing.
   */
  lookup?: { type: 'code128' | 'qr'; value: string } | false;
  /** Footer lines; default the translated thank-you line. */
  footer?: readonly string[];
  /** Kick the cash drawer when a tender is cash; default true (never on a copy). */
  openDrawer?: boolean;
}

/** What a template gets besides the sale: the width, the labels and the formatters. */
export interface TemplateContext extends ReceiptFormatters {
  readonly locale: string;
  readonly columns: number;
  readonly labels: ReceiptLabels;
}

/** A receipt template: a pure function from a sale to blocks. Replace it to change the layout. */
export type ReceiptTemplate = (sale: ReceiptSale, ctx: TemplateContext) => readonly ReceiptBlock[];

/** Options of {@link buildReceipt}. */
export interface BuildReceiptOptions {
  /** BCP 47 locale for labels, money and dates: `'nl-NL'`, `'de-DE'`, `'fr-BE'`, `'en-US'`. */
  locale: string;
  /** Paper width in columns; default 42. */
  columns?: number;
  /** IANA time zone the time is printed in; default `'UTC'` (so output never depends on the machine). */
  timeZone?: string;
  /** Replaces some or all of the labels of the locale's language. */
  labels?: Partial<ReceiptLabels>;
}

const amount = z
  .string()
  .check(z.regex(/^-?[0-9]+(?:\.[0-9]+)?$/, 'expected a decimal string such as "12.10"'));

const saleSchema = z.object({
  cart: z.object({
    currency: z.string().check(z.refine(isCurrency, 'unknown ISO 4217 currency')),
    pricesIncludeTax: z.boolean(),
    lines: z.array(
      z.object({
        id: z.string(),
        sku: z.string(),
        name: z.optional(z.string()),
        unit: z.string(),
        unitPrice: amount,
        quantity: amount,
        subtotal: amount,
        taxes: z.array(z.object({ code: z.string() })),
        adjustments: z.array(z.object({ amount, label: z.string(), source: z.optional(z.string()) })),
        priceOverride: z.optional(z.object({ unitPrice: amount, reason: z.string() })),
        listUnitPrice: z.optional(amount),
      }),
    ),
    totals: z.object({
      subtotal: amount,
      discount: amount,
      tax: amount,
      total: amount,
      cashRounding: amount,
      cashTotal: amount,
      itemCount: z.optional(amount),
    }),
    taxBreakdown: z.array(
      z.object({
        id: z.string(),
        name: z.optional(z.string()),
        kind: z.optional(z.enum(['percent', 'fixed', 'division'])),
        rate: z.optional(amount),
        code: z.string(),
        base: amount,
        amount,
        gross: z.optional(amount),
      }),
    ),
    loyalty: z.optional(z.object({ points: amount })),
  }),
  tenders: z.array(
    z.object({
      method: z.string().check(z.minLength(1)),
      label: z.optional(z.string()),
      amount,
      change: z.optional(amount),
      tip: z.optional(amount),
      brand: z.optional(z.string()),
      last4: z.optional(z.string().check(z.regex(/^[0-9]{1,4}$/, 'at most the last four digits of a card'))),
      authCode: z.optional(z.string()),
      entryMode: z.optional(z.string()),
      card: z.optional(
        z.object({
          brand: z.optional(z.string()),
          last4: z.optional(
            z.string().check(z.regex(/^[0-9]{1,4}$/, 'at most the last four digits of a card')),
          ),
          entryMode: z.optional(z.string()),
        }),
      ),
      tendered: z.optional(amount),
      rounding: z.optional(amount),
      status: z.optional(z.string()),
      void: z.optional(z.string()),
    }),
  ),
  store: z.object({
    name: z.string().check(z.minLength(1)),
    address: z.optional(z.array(z.string())),
    vatNumber: z.optional(z.string()),
    phone: z.optional(z.string()),
    website: z.optional(z.string()),
    logo: z.optional(z.object({ type: z.literal('image') })),
  }),
  receiptNumber: z.string().check(z.minLength(1)),
  time: z.string().check(
    z.regex(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/,
      'expected an ISO 8601 time with an offset, such as "2026-11-27T14:03:00Z"',
    ),
    z.refine((t) => !Number.isNaN(Date.parse(t)), 'not a real date and time'),
  ),
  cashier: z.optional(z.string()),
  register: z.optional(z.string()),
  loyalty: z.optional(z.object({ memberId: z.optional(z.string()), balance: z.optional(amount) })),
  copy: z.optional(z.boolean()),
  return: z.optional(z.union([z.boolean(), z.object({ originalReceipt: z.optional(z.string()) })])),
  lookup: z.optional(
    z.union([
      z.literal(false),
      z.object({ type: z.enum(['code128', 'qr']), value: z.string().check(z.minLength(1)) }),
    ]),
  ),
  footer: z.optional(z.array(z.string())),
  openDrawer: z.optional(z.boolean()),
});

// Checking a locale or time zone builds Intl objects; a till asks about the same one every sale.
const knownLocales = new Set<string>();
const knownTimeZones = new Set<string>();

const optionsSchema = z.object({
  locale: z.string().check(
    z.refine((l) => {
      if (knownLocales.has(l)) return true;
      try {
        const known = Intl.NumberFormat.supportedLocalesOf(l).length > 0;
        if (known && knownLocales.size < 64) knownLocales.add(l);
        return known;
      } catch {
        return false;
      }
    }, 'not a locale this runtime knows'),
  ),
  columns: z.optional(z.int().check(z.gte(24), z.lte(255))),
  timeZone: z.optional(
    z.string().check(
      z.refine((tz) => {
        if (knownTimeZones.has(tz)) return true;
        try {
          new Intl.DateTimeFormat('en', { timeZone: tz });
          if (knownTimeZones.size < 64) knownTimeZones.add(tz);
          return true;
        } catch {
          return false;
        }
      }, 'unknown time zone'),
    ),
  ),
  labels: z.optional(
    z.custom<object>((v) => typeof v === 'object' && v !== null, 'expected an object of labels'),
  ),
});

const isZero = (value: string): boolean => !/[1-9]/.test(value);

/** Exact sum of decimal strings, through integers (this module does not load decimal.js). */
function sumDecimals(values: string[]): string {
  const scale = Math.max(0, ...values.map((v) => (v.includes('.') ? v.length - v.indexOf('.') - 1 : 0)));
  let sum = 0n;
  for (const v of values) {
    const negative = v.startsWith('-');
    const [whole = '0', fraction = ''] = (negative ? v.slice(1) : v).split('.');
    const n = BigInt(whole + fraction.padEnd(scale, '0'));
    sum += negative ? -n : n;
  }
  const negative = sum < 0n;
  const digits = (negative ? -sum : sum).toString().padStart(scale + 1, '0');
  const text = scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return negative ? `-${text}` : text;
}
const negate = (value: string): string =>
  value.startsWith('-') ? value.slice(1) : isZero(value) ? value : `-${value}`;

/**
 * The default template: store header, lines with quantity x unit price and measured items,
 * discounts and promotions with their labels, subtotal, total, tenders with change and
 * masked card details, the tax breakdown per rate (a letter code per rate on each line),
 * loyalty points, the receipt number with a barcode or QR code for returns, a footer, a
 * cut and (for cash) a drawer kick. Copies and returns are marked.
 */
export const defaultTemplate: ReceiptTemplate = (sale, ctx) => {
  const { cart } = sale;
  const L = ctx.labels;
  const cols = ctx.columns;
  const amountWidth = cols >= 42 ? 12 : 9;
  const indent = cols >= 42 ? '  ' : ' ';
  const codeWidth = Math.max(1, ...cart.lines.map((l) => l.taxes.map((t) => t.code).join('').length));
  const blocks: ReceiptBlock[] = [];
  const text = (t: string, align: 'left' | 'center' | 'right' = 'left', style?: TextStyle): void => {
    blocks.push(style ? { type: 'text', text: t, align, style } : { type: 'text', text: t, align });
  };
  // Amounts never wrap: a four-digit amount on 58 mm paper gets the room it needs and the
  // description beside it wraps instead.
  const row = (left: string, right: string, style?: TextStyle, code?: string): void => {
    const width = Math.max(amountWidth, [...right].length);
    const columns: RowColumn[] = [{ text: left }, { text: right, width, align: 'right' }];
    if (code !== undefined) columns.push({ text: code, width: codeWidth });
    blocks.push(style ? { type: 'row', columns, style } : { type: 'row', columns });
  };
  const rule = (char = '-'): void => {
    blocks.push({ type: 'rule', char });
  };
  const banner = (label: string): void => {
    text(` ${label} `, 'center', { bold: true, invert: true, width: 2, height: 2 });
  };

  // Header
  // A copy, so that freezing the document leaves the caller's object alone.
  if (sale.store.logo) blocks.push({ ...sale.store.logo });
  text(sale.store.name, 'center', { bold: true, width: 2, height: 2 });
  for (const line of sale.store.address ?? []) text(line, 'center');
  if (sale.store.phone) text(sale.store.phone, 'center');
  if (sale.store.website) text(sale.store.website, 'center');
  if (sale.store.vatNumber) text(`${L.vatNumber} ${sale.store.vatNumber}`, 'center');
  blocks.push({ type: 'blank' });
  if (sale.copy) banner(L.copy);
  if (sale.return) {
    banner(L.returnReceipt);
    const original = typeof sale.return === 'object' ? sale.return.originalReceipt : undefined;
    if (original) text(`${L.originalReceipt}: ${original}`, 'center');
  }
  const number = `${L.receiptNumber} ${sale.receiptNumber}`;
  const when = ctx.dateTime(sale.time);
  if (number.length + when.length + 1 <= cols) {
    blocks.push({ type: 'row', columns: [{ text: number }, { text: when, align: 'right' }] });
  } else {
    text(number);
    text(when);
  }
  if (sale.cashier || sale.register) {
    blocks.push({
      type: 'row',
      columns: [
        { text: sale.cashier ? `${L.cashier}: ${sale.cashier}` : '' },
        { text: sale.register ? `${L.register} ${sale.register}` : '', align: 'right' },
      ],
    });
  }
  rule();

  // Lines
  for (const line of cart.lines) {
    const name = line.name ?? line.sku;
    const code = line.taxes.map((t) => t.code).join('');
    const measured = line.unit !== 'each';
    if (!measured && line.quantity === '1') {
      row(name, ctx.amount(line.subtotal), undefined, code);
    } else {
      blocks.push({ type: 'row', columns: [{ text: name }] });
      const unit = measured ? ` ${line.unit}` : '';
      const per = measured ? `/${line.unit}` : '';
      row(
        `${indent}${ctx.quantity(line.quantity)}${unit} x ${ctx.unitPrice(line.unitPrice)}${per}`,
        ctx.amount(line.subtotal),
        undefined,
        code,
      );
    }
    if (line.priceOverride && line.listUnitPrice !== undefined) {
      text(
        `${indent}${L.priceOverride} (${ctx.unitPrice(line.listUnitPrice)}): ${line.priceOverride.reason}`,
      );
    }
    for (const adj of line.adjustments) {
      if (isZero(adj.amount) || adj.source === 'price-override') continue;
      // A price list already set the unit price: say so, without a second minus.
      if (adj.source === 'price-list') {
        if (line.listUnitPrice !== undefined)
          text(`${indent}${adj.label} (${ctx.unitPrice(line.listUnitPrice)})`);
        continue;
      }
      row(`${indent}${adj.label}`, ctx.amount(negate(adj.amount)), undefined, '');
    }
  }
  rule();

  // Totals
  row(L.subtotal, ctx.amount(cart.totals.subtotal));
  if (!isZero(cart.totals.discount)) row(L.discount, ctx.amount(negate(cart.totals.discount)));
  if (!cart.pricesIncludeTax) row(L.tax, ctx.amount(cart.totals.tax));
  row(L.total, ctx.money(cart.totals.total), { bold: true, height: 2 });
  // Attempts that did not go through, and voided tenders, paid nothing.
  const tenders = sale.tenders.filter(
    (t) =>
      (t.status === undefined || t.status === 'approved' || t.status === 'partially_approved') &&
      t.void !== 'voided',
  );
  const paysCash = tenders.some((t) => t.method === 'cash');
  // The cart's cash rounding is what paying all of it in cash rounds; a split payment rounds
  // only its cash part, which the tenders carry when they come from kassa/payments.
  const carried = tenders.filter((t) => t.rounding !== undefined).map((t) => t.rounding!);
  const rounding =
    carried.length > 0
      ? sumDecimals(carried)
      : tenders.length > 0 && tenders.every((t) => t.method === 'cash')
        ? cart.totals.cashRounding
        : '0';
  if (!isZero(rounding)) {
    row(L.rounding, ctx.amount(rounding));
    const paid = carried.length > 0 ? sumDecimals([cart.totals.total, rounding]) : cart.totals.cashTotal;
    row(L.cashTotal, ctx.money(paid), { bold: true });
  }

  // Tenders
  if (tenders.length > 0) {
    blocks.push({ type: 'blank' });
    for (const t of tenders) {
      const label = t.label ?? (t.amount.startsWith('-') ? L.refund : (L.methods[t.method] ?? t.method));
      row(label, ctx.amount(t.tendered ?? t.amount));
      if (t.tip !== undefined && !isZero(t.tip)) row(`${indent}${L.tip}`, ctx.amount(t.tip));
      const brand = t.brand ?? t.card?.brand;
      const last4 = t.last4 ?? t.card?.last4;
      const mode = t.entryMode ?? t.card?.entryMode;
      const card = [brand, last4 !== undefined ? `**** ${last4}` : undefined].filter(Boolean).join(' ');
      const entry = mode && mode !== 'unknown' ? (L.entryModes[mode] ?? mode) : '';
      if (card || entry) text(`${indent}${[card, entry].filter(Boolean).join('  ')}`);
      if (t.authCode) text(`${indent}${L.authCode}: ${t.authCode}`);
      if (t.change !== undefined && !isZero(t.change)) row(L.change, ctx.amount(t.change), { bold: true });
    }
  }

  // Tax breakdown
  if (cart.taxBreakdown.length > 0) {
    rule();
    const w = Math.max(
      cols >= 42 ? 10 : 7,
      [...L.net].length,
      [...L.tax].length,
      [...L.gross].length,
      ...cart.taxBreakdown.flatMap((t) =>
        [t.base, t.amount, t.gross ?? '0'].map((a) => [...ctx.amount(a)].length),
      ),
    );
    blocks.push({
      type: 'row',
      columns: [
        { text: L.taxRate },
        { text: L.net, width: w, align: 'right' },
        { text: L.tax, width: w, align: 'right' },
        { text: L.gross, width: w, align: 'right' },
      ],
    });
    for (const t of cart.taxBreakdown) {
      const what = t.kind === 'fixed' || t.rate === undefined ? (t.name ?? t.id) : ctx.rate(t.rate);
      const gross = t.gross ?? null;
      blocks.push({
        type: 'row',
        columns: [
          { text: `${t.code} ${what}` },
          { text: ctx.amount(t.base), width: w, align: 'right' },
          { text: ctx.amount(t.amount), width: w, align: 'right' },
          { text: gross === null ? '' : ctx.amount(gross), width: w, align: 'right' },
        ],
      });
    }
  }
  rule();

  // Count, loyalty, lookup, footer
  if (cart.totals.itemCount !== undefined) text(`${L.items}: ${ctx.quantity(cart.totals.itemCount)}`);
  if (sale.loyalty?.memberId) text(`${L.member}: ${sale.loyalty.memberId}`);
  if (cart.loyalty && !isZero(cart.loyalty.points)) row(L.pointsEarned, ctx.quantity(cart.loyalty.points));
  if (sale.loyalty?.balance !== undefined) row(L.pointsBalance, ctx.quantity(sale.loyalty.balance));
  const lookup =
    sale.lookup === undefined
      ? /^[\x20-\x7e]{1,40}$/.test(sale.receiptNumber)
        ? { type: 'code128' as const, value: sale.receiptNumber }
        : false
      : sale.lookup;
  if (lookup) {
    blocks.push({ type: 'blank' });
    blocks.push(
      lookup.type === 'qr'
        ? { type: 'qr', data: lookup.value, size: cols >= 42 ? 6 : 4 }
        : { type: 'barcode', symbology: 'code128', value: lookup.value, height: 60 },
    );
  }
  blocks.push({ type: 'blank' });
  for (const line of sale.footer ?? [L.thanks]) text(line, 'center');
  if (sale.copy) banner(L.copy);
  blocks.push({ type: 'cut' });
  if (paysCash && !sale.copy && (sale.openDrawer ?? true)) blocks.push({ type: 'drawer', pin: 2 });
  return blocks;
};

/**
 * Lays out a sale's receipt with a template. Pure: the same sale, template and options give
 * the same document (the time comes from the sale, the time zone from the options). The
 * document is validated and frozen (see `freezeDocument`), so renderers do not check it again;
 * a custom template should return new block objects, since what it returns is frozen.
 *
 * @throws KassaError `receipt.invalid_sale` naming the bad field (a card number longer than
 *   four digits, an amount that is not a decimal string, an unknown currency), or
 *   `receipt.invalid_document` when a custom template returns malformed blocks.
 *
 * @example
 * ```ts
 * const doc = buildReceipt(
 *   { cart: cart.snapshot(), tenders: [{ method: 'cash', amount: '20.00', change: '7.90' }],
 *     store: { name: 'De Kaasboer', vatNumber: 'NL001234567B01' },
 *     receiptNumber: 'R-000123', time: '2026-11-27T14:03:00Z' },
 *   defaultTemplate,
 *   { locale: 'nl-NL', timeZone: 'Europe/Amsterdam' },
 * );
 * ```
 */
export function buildReceipt(
  sale: ReceiptSale,
  template: ReceiptTemplate = defaultTemplate,
  options: BuildReceiptOptions = { locale: 'en-US' },
): ReceiptDocument {
  parseInput(saleSchema, sale, 'receipt sale', 'receipt.invalid_sale');
  parseInput(optionsSchema, options, 'receipt options', 'receipt.invalid_sale');
  if (typeof template !== 'function') {
    throw new KassaError('receipt.invalid_sale', 'template must be a function', { path: ['template'] });
  }
  const columns = options.columns ?? 42;
  const ctx: TemplateContext = {
    ...createFormatters(options.locale, sale.cart.currency, options.timeZone ?? 'UTC'),
    locale: options.locale,
    columns,
    labels: { ...labelsFor(options.locale), ...options.labels },
  };
  const doc: ReceiptDocument = {
    columns,
    blocks: [...template(sale, ctx)],
    lang: options.locale,
    title: `${sale.store.name} ${sale.receiptNumber}`,
  };
  return freezeDocument(doc);
}
