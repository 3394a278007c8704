import { BehaviorSubject, type Observable, Subject, type Subscription } from 'rxjs';
import type { Catalog } from '../cart/catalog.js';
import type { PricingFeatures } from '../cart/features.js';
import { priceCart } from '../cart/price-cart.js';
import { type AddLineCommand, type CartCustomer, type CartStore, createCart } from '../cart/store.js';
import type { CartInput, DiscountInput, PricedCart, PricingRules } from '../cart/types.js';
import { type Clock, systemClock } from '../clock.js';
import { toAddCommand, type WeightLike } from '../devices/barcode/catalog.js';
import type { BarcodeRules } from '../devices/barcode/parse.js';
import { parseBarcode } from '../devices/barcode/parse.js';
import { checkOptions, KassaError } from '../errors.js';
import type {
  AnyJournalEntry,
  EntryData,
  EntryType,
  JournalEntry,
  Operator,
  StockMovementRecord,
} from '../journal/entries.js';
import { minorUnits } from '../money/currencies.js';
import { Decimal } from '../money/decimal.js';
import { createPaymentSession, type PaymentSession } from '../payments/session.js';
import { createMemoryPaymentStore } from '../payments/store.js';
import type { PaymentProvider, PaymentSessionState, PaymentStore, Tender } from '../payments/types.js';
import {
  type FiscalProductInfo,
  fiscalRecord,
  saleMovements,
  settledTenders,
  tenderRecord,
} from './fiscal.js';
import { nextSaleState, type SaleCommand, type SaleState } from './lifecycle.js';

/**
 * The part of a journal the checkout writes and reads: `openJournal()` of `kassa/journal`
 * satisfies it. `append` resolves once the entry is durable.
 */
export interface CheckoutJournal {
  append<T extends EntryType>(type: T, data: EntryData<T>): Promise<JournalEntry<T>>;
  /** Every entry of the given types, oldest first. */
  read(query?: {
    types?: readonly EntryType[];
  }): Promise<readonly AnyJournalEntry[]> | AsyncIterable<AnyJournalEntry>;
}

/**
 * Exclusive claims shared by the tills of a shop: a parked sale is recalled by whoever claims it
 * first. {@link createMemoryClaims} serves the tills of one process; a chain backs it with its
 * database (an insert that fails on a duplicate key).
 */
export interface ClaimStore {
  /** Resolves `true` for the first claim of `key`, `false` for every later one. */
  claim(key: string, owner: string): Promise<boolean>;
}

/** Claims held in memory: for the tills of one process and for tests. */
export function createMemoryClaims(): ClaimStore {
  const owners = new Map<string, string>();
  return {
    async claim(key, owner) {
      if (owners.has(key)) return false;
      owners.set(key, owner);
      return true;
    },
  };
}

/** The devices a checkout drives; each is optional and each is a `kassa/devices` driver or look-alike. */
export interface CheckoutDevices {
  readonly scanner?: { readonly scans$: Observable<{ readonly data: string; readonly symbology?: string }> };
  readonly printer?: { print(bytes: Uint8Array, options?: { jobId?: string }): Promise<unknown> };
  readonly drawer?: { open(): Promise<void> };
  readonly display?: { follow(cart: CartStore): () => void };
}

/** Options of {@link createCheckout}. */
export interface CheckoutOptions {
  /** This till's id; the journal's register. */
  readonly register: string;
  /** The cashier logged in. */
  readonly operator: Operator;
  readonly currency: string;
  readonly catalog: Catalog;
  readonly rules?: PricingRules;
  readonly pricesIncludeTax?: boolean;
  readonly features?: PricingFeatures;
  readonly providers: readonly PaymentProvider[];
  /** Where payment attempts are journaled; default: in memory (use the file store on a till). */
  readonly paymentStore?: PaymentStore;
  readonly journal: CheckoutJournal;
  /** Receives the stock movements of every completed sale and return (`kassa/inventory`). */
  readonly inventory?: { record(movements: readonly StockMovementRecord[]): unknown };
  readonly devices?: CheckoutDevices;
  /** Builds the receipt's bytes for the printer from the journaled sale; no printing without it. */
  readonly receipt?: (sale: CompletedSale) => Uint8Array;
  /** Barcode rules for scans (variable-measure country, AIM prefixes). */
  readonly barcodes?: BarcodeRules;
  /** The stock location this till sells from; default `'store'`. */
  readonly location?: string;
  /** The sales channel; default `'store'`. */
  readonly channel?: string;
  readonly clock?: Clock;
  /** Makes sale ids on the client (the journal key of the sale); default random UUIDs. */
  readonly newSaleId?: () => string;
  /** Cash over or short by more than this at a shift close needs an approver; default `'0'`. */
  readonly cashTolerance?: string;
  /** Extra fiscal data per SKU (GTIN, goods group), default from the catalog. */
  readonly productInfo?: (sku: string) => FiscalProductInfo | undefined;
  /** Where recalls of parked sales are claimed; share one between tills (default: this till's own). */
  readonly claims?: ClaimStore;
}

/** A sale once it is in the journal. */
export interface CompletedSale {
  readonly entry: JournalEntry<'sale.completed'>;
  readonly saleId: string;
  readonly receiptNumber: string;
  readonly cart: PricedCart;
  readonly tenders: readonly Tender[];
}

/** A return once it is in the journal. */
export interface CompletedReturn {
  readonly entry: JournalEntry<'return.completed'>;
  readonly saleId: string;
  readonly receiptNumber: string;
  /** The return's priced cart: negative quantities and amounts. */
  readonly cart: PricedCart;
  /** What was refunded, per original tender. */
  readonly refunds: readonly {
    readonly attemptId: string;
    readonly method: string;
    readonly amount: string;
  }[];
}

/** One line to take back: the original sale's line id and, by default, all that is left of it. */
export interface ReturnLine {
  readonly lineId: string;
  readonly quantity?: string;
}

/** The shift in progress. */
export interface ShiftState {
  readonly shiftId: string;
  readonly float: string;
  readonly openedAt: string;
}

/** What the checkout shows: the sale's lifecycle, its cart, its payments and the shift. */
export interface CheckoutState {
  readonly state: SaleState;
  readonly saleId?: string;
  readonly cart: PricedCart;
  readonly payment?: PaymentSessionState;
  readonly shift?: ShiftState;
  /** The last completed sale, for "print again" and the change display. */
  readonly lastSale?: { readonly saleId: string; readonly receiptNumber: string; readonly entry: string };
  /** Sales parked and not yet recalled or voided. */
  readonly parked: readonly { readonly saleId: string; readonly entry: string; readonly at: string }[];
}

/** Events for UIs: scans refused, prints that failed, the drawer. */
export type CheckoutEvent =
  | { readonly type: 'scan_rejected'; readonly data: string; readonly error: KassaError }
  | { readonly type: 'print_failed'; readonly saleId: string; readonly error: unknown }
  | { readonly type: 'drawer_opened'; readonly reason: string };

/** Cash counted at a shift close. */
export interface ShiftCount {
  readonly counted: string;
  /** Who approved a difference over the tolerance. */
  readonly approvedBy?: Operator;
  readonly note?: string;
}

/** The checkout: one sale's lifecycle at one till, wired from cart to journal to printer. */
export interface Checkout {
  readonly state$: Observable<CheckoutState>;
  readonly events$: Observable<CheckoutEvent>;
  snapshot(): CheckoutState;
  /** For `useSyncExternalStore(checkout.subscribe, checkout.snapshot)`. */
  subscribe(listener: (state: CheckoutState) => void): () => void;
  /** The current sale's cart store (read it; change it through the checkout's commands). */
  readonly cart: CartStore;
  /**
   * A scanned code through `parseBarcode` and the catalog into the cart (weighed and priced
   * labels included; an item sold by weight needs the scale's stable `weight`); returns the line id.
   */
  scan(data: string, options?: { symbology?: string; weight?: WeightLike }): string;
  add(command: AddLineCommand): string;
  setQuantity(lineId: string, quantity: string | number): void;
  remove(lineId: string): void;
  applyDiscount(discount: DiscountInput, target?: { lineId: string }): void;
  setCustomer(customer: CartCustomer | undefined): void;
  /** Pays part or all of the sale; the payment session is derived from the priced cart. */
  pay(input: { provider: string; amount: string; tip?: string }): Promise<Tender>;
  /**
   * A person's audited answer for a payment that needs attention (a cash attempt cut short by a
   * crash: was the money taken?). Delegates to the payment session's `resolve`.
   */
  resolvePayment(
    attemptId: string,
    input:
      | { resolution: 'approved'; amount: string; authCode?: string; by: string; note: string }
      | { resolution: 'not_charged'; by: string; note: string },
  ): Promise<Tender>;
  /** Back to ringing up while nothing is paid. */
  resume(): void;
  /** Journals the paid sale, then records stock, prints and opens nothing more; a second call returns the same sale. */
  complete(): Promise<CompletedSale>;
  /** Abandons the sale; approved tenders are voided first. */
  void(reason: string): Promise<void>;
  /**
   * Takes goods back against an original sale, found by its sale id or receipt number (the
   * receipt's barcode). Refundable is what was sold minus what was already returned, per line;
   * the money goes back to the original tenders (cards by reference first, then cash), the
   * return is journaled, then restocked.
   */
  returnSale(
    original: string,
    lines: readonly ReturnLine[],
    options?: { reason?: string },
  ): Promise<CompletedReturn>;
  /** Puts the open sale aside (nothing may be paid yet). */
  park(note?: string): Promise<string>;
  /** Takes a parked sale up again; exclusive: a sale recalled once cannot be recalled again. */
  recall(saleId: string): Promise<void>;
  openShift(float: string): Promise<ShiftState>;
  cashIn(amount: string, reason: string): Promise<void>;
  cashOut(amount: string, reason: string): Promise<void>;
  /** Opens the drawer outside a sale and journals it as a no-sale. */
  noSale(note?: string): Promise<void>;
  /** What the drawer should hold now: float + cash taken - change + cash in - cash out - cash refunds. */
  expectedCash(): Promise<string>;
  /** Counts the drawer: expected = float + cash taken - change + cash in - cash out - cash refunds. */
  closeShift(count: ShiftCount): Promise<{ expected: string; counted: string; difference: string }>;
  /** After a crash: the open shift, parked sales, and an unfinished sale with its payments resumed. */
  recover(): Promise<CheckoutState>;
  /** Stops listening to devices; nothing is lost (the journal and the payment store keep everything). */
  dispose(): void;
}

function randomId(): string {
  return globalThis.crypto.randomUUID();
}

async function readAll(journal: CheckoutJournal, types: readonly EntryType[]): Promise<AnyJournalEntry[]> {
  const result = journal.read({ types });
  if (Symbol.asyncIterator in (result as object)) {
    const out: AnyJournalEntry[] = [];
    for await (const entry of result as AsyncIterable<AnyJournalEntry>) out.push(entry);
    return out;
  }
  return [...(await (result as Promise<readonly AnyJournalEntry[]>))];
}

const OPTION_KEYS = [
  'register',
  'operator',
  'currency',
  'catalog',
  'rules',
  'pricesIncludeTax',
  'features',
  'providers',
  'paymentStore',
  'journal',
  'inventory',
  'devices',
  'receipt',
  'barcodes',
  'location',
  'channel',
  'clock',
  'newSaleId',
  'cashTolerance',
  'productInfo',
  'claims',
];

function invalid(path: string, message: string): never {
  throw new KassaError('validation.invalid_input', `Invalid checkout option ${path}: ${message}`, {
    path: [path],
    issues: [{ path: [path], message }],
  });
}

function amountOf(value: unknown, path: string, decimals: number, allowZero = true): Decimal {
  if (typeof value !== 'string' || !/^\d+(\.\d+)?$/.test(value)) {
    throw new KassaError('validation.invalid_amount', `${path} must be a decimal string such as "100.00"`, {
      path: [path],
    });
  }
  const d = new Decimal(value);
  if (d.decimalPlaces() > decimals || (!allowZero && d.isZero())) {
    throw new KassaError('validation.invalid_amount', `${path} ${value} is not a valid amount here`, {
      path: [path],
    });
  }
  return d;
}

/**
 * Creates the checkout of one till: the only place that sequences effects. Each transition is
 * journaled before its side effects (terminal, drawer, printer, stock), the payment session is
 * derived from the priced cart (one total, one cash rounding), and the receipt is built from the
 * journaled sale.
 *
 * @example
 * ```ts
 * const checkout = createCheckout({ register: 'till-1', operator: { id: 'ann' }, currency: 'EUR',
 *   catalog, rules, providers: [createCashProvider(), terminal], journal });
 * await checkout.openShift('100.00');
 * checkout.scan('8712345000011');
 * await checkout.pay({ provider: 'cash', amount: '20.00' });
 * await checkout.complete();
 * ```
 */
export function createCheckout(options: CheckoutOptions): Checkout {
  checkOptions(options, OPTION_KEYS, 'checkout options');
  if (options === undefined || options === null) invalid('options', 'expected an object');
  if (typeof options.register !== 'string' || options.register.length === 0)
    invalid('register', 'expected an id');
  checkOptions(options.operator, ['id', 'name'], 'checkout operator', ['operator']);
  if (typeof options.operator?.id !== 'string') invalid('operator', 'expected { id, name? }');
  if (typeof options.journal?.append !== 'function') invalid('journal', 'expected a journal (openJournal())');
  if (!Array.isArray(options.providers)) invalid('providers', 'expected an array of payment providers');
  const decimals = minorUnits(options.currency);
  const clock = options.clock ?? systemClock;
  const location = options.location ?? 'store';
  const channel = options.channel ?? 'store';
  const newSaleId = options.newSaleId ?? randomId;
  const paymentStore = options.paymentStore ?? createMemoryPaymentStore();
  const claims = options.claims ?? createMemoryClaims();
  const tolerance = amountOf(options.cashTolerance ?? '0', 'cashTolerance', decimals);
  const cashRule = options.rules?.rounding?.cash;
  const productInfo =
    options.productInfo ??
    ((sku: string) => {
      const product = options.catalog.lookup(sku);
      const gtin = product?.gtins?.find((g) => /^\d{8,14}$/.test(g));
      const group = product?.categories?.[0];
      return product ? { ...(gtin ? { gtin } : {}), ...(group ? { group: { id: group } } : {}) } : undefined;
    });

  const makeCart = (initial?: Omit<CartInput, 'currency'>): CartStore =>
    createCart({
      currency: options.currency,
      catalog: options.catalog,
      ...(options.rules ? { rules: options.rules } : {}),
      ...(options.pricesIncludeTax === undefined ? {} : { pricesIncludeTax: options.pricesIncludeTax }),
      ...(options.features ? { features: options.features } : {}),
      ...(initial ? { initial } : {}),
    });

  let cart = makeCart();
  let sale: SaleState = 'idle';
  let saleId: string | undefined;
  let session: PaymentSession | undefined;
  let sessionSub: Subscription | undefined;
  let parkedFrom: { entry: string; saleId: string } | undefined;
  let shift: ShiftState | undefined;
  let lastSale: CheckoutState['lastSale'];
  let completed: CompletedSale | undefined;
  let receiptCount = 0;
  let parked: CheckoutState['parked'] = [];
  let stopDisplay: (() => void) | undefined;
  let busy: Promise<unknown> = Promise.resolve();
  const events = new Subject<CheckoutEvent>();

  const view = (): CheckoutState => ({
    state: sale,
    ...(saleId ? { saleId } : {}),
    cart: cart.snapshot(),
    ...(session ? { payment: session.snapshot() } : {}),
    ...(shift ? { shift } : {}),
    ...(lastSale ? { lastSale } : {}),
    parked,
  });
  const state = new BehaviorSubject<CheckoutState>(view());
  const emit = () => state.next(view());
  let cartSub = cart.subscribe(emit);

  const follow = () => {
    stopDisplay?.();
    stopDisplay = options.devices?.display?.follow(cart);
  };
  follow();

  /** Checks a command against the lifecycle table before anything changes. */
  const guard = (command: SaleCommand): SaleState => nextSaleState(sale, command);

  /** Runs async commands one at a time: the journal orders them, and so does the till. */
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = busy.then(fn, fn);
    busy = run.catch(() => undefined);
    return run;
  };

  const replaceCart = (next: CartStore) => {
    cartSub();
    cart = next;
    cartSub = cart.subscribe(emit);
    follow();
  };

  const startNewSaleIfFinal = () => {
    if (sale === 'completed' || sale === 'voided' || sale === 'parked') {
      sessionSub?.unsubscribe();
      session?.dispose();
      session = undefined;
      completed = undefined;
      parkedFrom = undefined;
      saleId = undefined;
      replaceCart(makeCart());
    }
  };

  const requireShift = () => {
    if (!shift) throw new KassaError('checkout.no_shift', 'Open a shift (with its float) before selling');
  };

  const edit = <T>(fn: () => T): T => {
    requireShift();
    const next = guard('add');
    startNewSaleIfFinal();
    const result = fn();
    if (sale !== next || !saleId) {
      saleId ??= newSaleId();
      sale = next;
    }
    emit();
    return result;
  };

  const openDrawer = async (reason: EntryData<'drawer.opened'>['reason'], ref?: string) => {
    await options.journal.append('drawer.opened', {
      operator: options.operator,
      reason,
      ...(ref ? { ref: { entry: ref } } : {}),
    });
    events.next({ type: 'drawer_opened', reason });
    await options.devices?.drawer?.open();
  };

  /** The payments of a sale, from its priced cart: one total and one cash rule, the cart's. */
  const sessionFor = (id: string, priced: PricedCart): Promise<PaymentSession> =>
    createPaymentSession({
      saleId: id,
      total: priced.totals.total,
      currency: options.currency,
      providers: options.providers,
      store: paymentStore,
      clock,
      ...(cashRule ? { cashRounding: cashRule } : {}),
    });

  const attachSession = async (id: string, priced: PricedCart): Promise<PaymentSession> => {
    const created = await sessionFor(id, priced);
    sessionSub = created.events$.subscribe((event) => {
      if (event.type === 'drawer_open') void openDrawer('sale').catch(() => undefined);
      emit();
    });
    created.subscribe(emit);
    return created;
  };

  const checkout: Checkout = {
    state$: state.asObservable(),
    events$: events.asObservable(),
    snapshot: () => state.getValue(),
    subscribe(listener) {
      const sub = state.subscribe(listener);
      return () => sub.unsubscribe();
    },
    get cart() {
      return cart;
    },

    scan(data, scanOptions = {}) {
      checkOptions(scanOptions, ['symbology', 'weight'], 'scan options', ['options']);
      const parsed = parseBarcode(data, {
        ...options.barcodes,
        ...(scanOptions.symbology ? { symbology: scanOptions.symbology } : {}),
      } as BarcodeRules);
      const result = toAddCommand(
        parsed,
        options.catalog,
        scanOptions.weight ? { weight: scanOptions.weight } : {},
      );
      if (!result.ok) {
        throw new KassaError(
          'checkout.scan_rejected',
          `Scan "${data}" was not added: ${result.error.message}`,
          {
            cause: result.error.code,
          },
        );
      }
      return edit(() => cart.add(result.command));
    },
    add: (command) => edit(() => cart.add(command)),
    setQuantity: (lineId, quantity) => edit(() => cart.setQuantity(lineId, quantity)),
    remove: (lineId) => edit(() => cart.remove(lineId)),
    applyDiscount: (discount, target) => edit(() => cart.applyDiscount(discount, target)),
    setCustomer: (customer) => edit(() => cart.setCustomer(customer)),

    pay(input) {
      return serial(async () => {
        requireShift();
        guard('pay');
        if (cart.snapshot().lines.length === 0) {
          throw new KassaError('checkout.invalid_transition', 'Cannot pay for an empty sale', {
            state: sale,
          });
        }
        if (!session) {
          const priced = cart.snapshot();
          // Journaled before the first request leaves: a crash from here on is recovered from it.
          await options.journal.append('sale.tendering', {
            saleId: saleId!,
            operator: options.operator,
            currency: options.currency,
            cart: priced,
            input: cart.input() as unknown as Record<string, unknown>,
            ...(parkedFrom ? { parkedFrom: { entry: parkedFrom.entry, saleId: parkedFrom.saleId } } : {}),
          });
          session = await attachSession(saleId!, priced);
        }
        sale = 'tendering';
        emit();
        try {
          return await session.pay(input);
        } finally {
          emit();
        }
      });
    },

    resolvePayment(attemptId, input) {
      return serial(async () => {
        if (!session)
          throw new KassaError('checkout.invalid_transition', 'No payment to resolve', { state: sale });
        const tender = await session.resolve(attemptId, input);
        emit();
        return tender;
      });
    },

    resume() {
      const next = guard('resume');
      if (session && settledTenders(session.snapshot().tenders).length > 0) {
        throw new KassaError(
          'checkout.invalid_transition',
          'Payments were taken: void them or pay the rest',
          {
            state: sale,
          },
        );
      }
      sale = next;
      emit();
    },

    complete() {
      return serial(async () => {
        if (sale === 'completed' && completed) return completed;
        guard('complete');
        const payments = session!.snapshot();
        if (payments.status !== 'paid') {
          throw new KassaError('checkout.not_paid', `${payments.due} ${payments.currency} is still due`, {
            due: payments.due,
          });
        }
        const priced = cart.snapshot();
        const at = new Date(clock.now()).toISOString();
        const movements = saleMovements(priced, saleId!, location, channel, at);
        const fiscal = fiscalRecord(priced, decimals, productInfo);
        const tenders = settledTenders(payments.tenders);
        receiptCount += 1;
        const receiptNumber = `${options.register}-${String(receiptCount).padStart(6, '0')}`;
        const entry = await options.journal.append('sale.completed', {
          saleId: saleId!,
          receiptNumber,
          operator: options.operator,
          currency: options.currency,
          cart: priced,
          ...fiscal,
          totals: {
            ...fiscal.totals,
            cashRounding: payments.rounding,
            paid: new Decimal(priced.totals.total).plus(payments.rounding).toFixed(decimals),
          },
          tenders: tenders.map(tenderRecord),
          ...(priced.customer
            ? {
                customer: {
                  id: priced.customer.id,
                  groups: priced.customer.groups,
                  taxExempt: priced.customer.taxExempt,
                },
              }
            : {}),
          stockMovements: movements,
          ...(parkedFrom ? { parkedFrom: { entry: parkedFrom.entry, saleId: parkedFrom.saleId } } : {}),
        });
        await session!.complete();
        completed = { entry, saleId: saleId!, receiptNumber, cart: priced, tenders };
        sale = 'completed';
        lastSale = { saleId: saleId!, receiptNumber, entry: entry.id };
        emit();
        // Side effects after the sale is durable: each may fail without undoing the sale.
        await options.inventory?.record(movements);
        if (options.receipt && options.devices?.printer) {
          try {
            await options.devices.printer.print(options.receipt(completed), { jobId: receiptNumber });
          } catch (error) {
            await options.journal.append('print.failed', {
              ref: { entry: entry.id, saleId: saleId!, receiptNumber },
              error: String((error as Error)?.message ?? error).slice(0, 1000),
            });
            events.next({ type: 'print_failed', saleId: saleId!, error });
          }
        }
        return completed;
      });
    },

    void(reason) {
      return serial(async () => {
        if (typeof reason !== 'string' || reason.length === 0) invalid('reason', 'a void needs a reason');
        const next = guard('void');
        if (session) {
          for (const tender of settledTenders(session.snapshot().tenders))
            await session.voidTender(tender.attemptId);
        }
        const priced = cart.snapshot();
        await options.journal.append('sale.voided', {
          saleId: saleId!,
          operator: options.operator,
          stage: 'open',
          reason,
          currency: options.currency,
          cart: priced,
        });
        sale = next;
        emit();
      });
    },

    returnSale(original, lines, returnOptions = {}) {
      return serial(async () => {
        requireShift();
        checkOptions(returnOptions, ['reason'], 'return options', ['options']);
        if (!Array.isArray(lines) || lines.length === 0) invalid('lines', 'name at least one line to return');
        for (const [i, l] of lines.entries())
          checkOptions(l, ['lineId', 'quantity'], 'return line', ['lines', i]);
        const next = guard('return');
        const entries = await readAll(options.journal, ['sale.completed', 'return.completed']);
        const sold = entries.find(
          (e): e is JournalEntry<'sale.completed'> =>
            e.type === 'sale.completed' && (e.data.saleId === original || e.data.receiptNumber === original),
        );
        if (!sold)
          throw new KassaError('checkout.sale_not_found', `No completed sale "${original}"`, { original });
        const returned = new Map<string, { quantity: Decimal; amount: Decimal }>();
        for (const e of entries) {
          if (e.type !== 'return.completed') continue;
          for (const l of e.data.lines) {
            if (l.returnOf?.saleId !== sold.data.saleId) continue;
            const r = returned.get(l.returnOf.lineId) ?? { quantity: new Decimal(0), amount: new Decimal(0) };
            returned.set(l.returnOf.lineId, {
              quantity: r.quantity.plus(new Decimal(l.quantity).abs()),
              amount: r.amount.plus(new Decimal(l.gross).abs()),
            });
          }
        }
        const returnId = newSaleId();
        const cartLines = lines.map((request, index) => {
          const line = sold.data.cart.lines.find((l) => l.id === request.lineId);
          if (!line) invalid(`lines.${index}.lineId`, `the sale has no line "${request.lineId}"`);
          const soldQty = new Decimal(line.quantity);
          const before = returned.get(line.id) ?? { quantity: new Decimal(0), amount: new Decimal(0) };
          const left = soldQty.minus(before.quantity);
          const quantity =
            request.quantity === undefined
              ? left
              : amountOf(request.quantity, `lines.${index}.quantity`, 6, false);
          if (left.lte(0) || quantity.gt(left)) {
            throw new KassaError(
              'checkout.nothing_to_return',
              `Line "${line.id}": ${left.toFixed()} left to return, asked ${quantity.toFixed()}`,
              { lineId: line.id, left: left.toFixed(), path: ['lines', index, 'quantity'] },
            );
          }
          const gross = new Decimal(
            line.priceIncludesTax ? line.total : new Decimal(line.net).plus(line.tax),
          );
          // The last units return what is left of the line, so the parts add up to the sale exactly.
          const refund = quantity.eq(left)
            ? gross.minus(before.amount)
            : gross.mul(quantity).div(soldQty).toDecimalPlaces(decimals, Decimal.ROUND_HALF_UP);
          const base = line.priceIncludesTax
            ? refund
            : refund.minus(new Decimal(line.tax).mul(quantity).div(soldQty));
          return {
            id: `r${index + 1}-${line.id}`,
            sku: line.sku,
            ...(line.name ? { name: line.name } : {}),
            unit: line.unit,
            quantity: quantity.neg().toFixed(),
            unitPrice: line.unitPrice,
            priceIncludesTax: line.priceIncludesTax,
            taxes: line.taxes.map((t) => ({
              id: t.id,
              kind: t.kind,
              ...(t.rate === undefined ? {} : { rate: t.rate }),
              ...(t.kind === 'fixed' ? { amount: new Decimal(t.amount).div(soldQty).abs().toFixed() } : {}),
              ...(t.included ? { priceIncluded: true } : {}),
            })),
            // What the customer paid per unit, discounts included, as the price of the return.
            priceOverride: {
              unitPrice: base.div(quantity).toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toFixed(),
              reason: 'return at the price paid',
            },
            returnOf: { saleId: sold.data.saleId, lineId: line.id },
          };
        });
        // Priced without promotions or price lists: the price of a return is what was paid.
        const returnCart = priceCart(
          {
            currency: options.currency,
            ...(options.pricesIncludeTax === undefined ? {} : { pricesIncludeTax: options.pricesIncludeTax }),
            lines: cartLines as CartInput['lines'],
          },
          options.rules?.rounding ? { rounding: options.rules.rounding } : {},
        );
        const refundTotal = new Decimal(returnCart.totals.total).neg();
        const originalSession = await sessionFor(sold.data.saleId, sold.data.cart);
        let refund: Awaited<ReturnType<PaymentSession['refund']>>;
        try {
          refund = await originalSession.refund({
            amount: refundTotal.toFixed(decimals),
            ...(returnOptions.reason ? { reason: returnOptions.reason } : {}),
          });
        } finally {
          originalSession.dispose();
        }
        const at = new Date(clock.now()).toISOString();
        const movements = saleMovements(returnCart, returnId, location, channel, at);
        const fiscal = fiscalRecord(returnCart, decimals, productInfo);
        receiptCount += 1;
        const receiptNumber = `${options.register}-${String(receiptCount).padStart(6, '0')}`;
        const refunds = refund.parts.map((p) => ({
          attemptId: p.attemptId,
          method: p.method,
          amount: p.amount,
        }));
        const entry = await options.journal.append('return.completed', {
          saleId: returnId,
          receiptNumber,
          operator: options.operator,
          currency: options.currency,
          cart: returnCart,
          ...fiscal,
          tenders: refund.parts.map((p) => ({
            attemptId: p.attemptId,
            type: p.method === 'external' ? ('other' as const) : p.method,
            provider: sold.data.tenders.find((t) => t.attemptId === p.attemptId)?.provider ?? p.method,
            amount: new Decimal(p.amount).neg().toFixed(decimals),
          })),
          stockMovements: movements,
          originals: [{ entry: sold.id, saleId: sold.data.saleId, receiptNumber: sold.data.receiptNumber }],
          ...(returnOptions.reason ? { reason: returnOptions.reason } : {}),
        });
        if (refund.parts.some((p) => p.method === 'cash')) await openDrawer('sale', entry.id);
        startNewSaleIfFinal();
        sale = next;
        saleId = undefined;
        lastSale = { saleId: returnId, receiptNumber, entry: entry.id };
        emit();
        await options.inventory?.record(movements);
        return { entry, saleId: returnId, receiptNumber, cart: returnCart, refunds };
      });
    },

    park(note) {
      return serial(async () => {
        const next = guard('park');
        const priced = cart.snapshot();
        const entry = await options.journal.append('sale.parked', {
          saleId: saleId!,
          operator: options.operator,
          currency: options.currency,
          cart: priced,
          input: cart.input() as unknown as Record<string, unknown>,
          ...(note ? { note } : {}),
        });
        parked = [...parked, { saleId: saleId!, entry: entry.id, at: entry.at }];
        const id = saleId!;
        sale = next;
        emit();
        return id;
      });
    },

    recall(id) {
      return serial(async () => {
        requireShift();
        guard('recall');
        const entries = await readAll(options.journal, ['sale.parked', 'sale.recalled', 'sale.voided']);
        const parkedEntry = entries.find(
          (e): e is JournalEntry<'sale.parked'> => e.type === 'sale.parked' && e.data.saleId === id,
        );
        if (!parkedEntry)
          throw new KassaError('checkout.sale_not_found', `No parked sale "${id}"`, { saleId: id });
        if (
          entries.some(
            (e) =>
              (e.type === 'sale.recalled' && e.data.saleId === id) ||
              (e.type === 'sale.voided' && e.data.saleId === id),
          )
        ) {
          throw new KassaError('checkout.already_recalled', `Sale "${id}" was already recalled or voided`, {
            saleId: id,
          });
        }
        if (!(await claims.claim(`recall:${id}`, options.register))) {
          throw new KassaError(
            'checkout.already_recalled',
            `Sale "${id}" is being recalled at another till`,
            {
              saleId: id,
            },
          );
        }
        const input = parkedEntry.data.input as unknown as CartInput | undefined;
        const { currency: _currency, ...initial } = input ?? { currency: options.currency, lines: [] };
        const nextCart = makeCart(initial);
        await options.journal.append('sale.recalled', {
          saleId: id,
          operator: options.operator,
          parked: { entry: parkedEntry.id, saleId: id },
        });
        startNewSaleIfFinal();
        replaceCart(nextCart);
        saleId = id;
        parkedFrom = { entry: parkedEntry.id, saleId: id };
        parked = parked.filter((p) => p.saleId !== id);
        sale = 'open';
        emit();
      });
    },

    openShift(float) {
      return serial(async () => {
        if (shift) throw new KassaError('checkout.shift_open', `Shift ${shift.shiftId} is still open`);
        const amount = amountOf(float, 'float', decimals);
        const shiftId = `${options.register}-shift-${new Date(clock.now()).toISOString()}`;
        const entry = await options.journal.append('shift.opened', {
          shiftId,
          operator: options.operator,
          currency: options.currency,
          float: amount.toFixed(decimals),
        });
        shift = { shiftId, float: amount.toFixed(decimals), openedAt: entry.at };
        emit();
        await openDrawer('shift', entry.id);
        return shift;
      });
    },

    async expectedCash() {
      if (!shift) throw new KassaError('checkout.no_shift', 'No shift is open');
      return (await expectedCash(shift)).toFixed(decimals);
    },
    cashIn: (amount, reason) => cashMovement('cash.in', amount, reason),
    cashOut: (amount, reason) => cashMovement('cash.out', amount, reason),

    noSale(note) {
      return serial(async () => {
        requireShift();
        if (sale === 'tendering') guard('add');
        await options.journal.append('drawer.opened', {
          operator: options.operator,
          reason: 'no-sale',
          ...(note ? { note } : {}),
        });
        events.next({ type: 'drawer_opened', reason: 'no-sale' });
        await options.devices?.drawer?.open();
      });
    },

    closeShift(count) {
      return serial(async () => {
        checkOptions(count, ['counted', 'approvedBy', 'note'], 'shift count', ['count']);
        if (!shift) throw new KassaError('checkout.no_shift', 'No shift is open');
        if (sale === 'open' || sale === 'tendering') {
          throw new KassaError(
            'checkout.invalid_transition',
            'Finish, park or void the sale before closing the shift',
            {
              state: sale,
            },
          );
        }
        const counted = amountOf(count.counted, 'counted', decimals);
        const expected = await expectedCash(shift);
        const difference = counted.minus(expected);
        if (difference.abs().gt(tolerance) && !count.approvedBy) {
          throw new KassaError(
            'checkout.count_needs_approval',
            `Counted ${counted.toFixed(decimals)}, expected ${expected.toFixed(decimals)}: a difference of ${difference.toFixed(decimals)} needs an approver`,
            { expected: expected.toFixed(decimals), counted: counted.toFixed(decimals) },
          );
        }
        const row = (amount: Decimal) => [
          { type: 'cash' as const, currency: options.currency, amount: amount.toFixed(decimals) },
        ];
        await options.journal.append('shift.closed', {
          shiftId: shift.shiftId,
          operator: count.approvedBy ?? options.operator,
          currency: options.currency,
          expected: row(expected),
          counted: row(counted),
          difference: row(difference),
          ...(count.note ? { note: count.note } : {}),
        });
        shift = undefined;
        emit();
        return {
          expected: expected.toFixed(decimals),
          counted: counted.toFixed(decimals),
          difference: difference.toFixed(decimals),
        };
      });
    },

    recover() {
      return serial(async () => {
        const entries = await readAll(options.journal, [
          'shift.opened',
          'shift.closed',
          'sale.completed',
          'return.completed',
          'sale.tendering',
          'sale.voided',
          'sale.parked',
          'sale.recalled',
        ]);
        const finished = new Set<string>();
        const recalledOrVoided = new Set<string>();
        let openShift: JournalEntry<'shift.opened'> | undefined;
        let tendering: JournalEntry<'sale.tendering'> | undefined;
        let lastMovements: readonly StockMovementRecord[] = [];
        receiptCount = 0;
        const parkedEntries: JournalEntry<'sale.parked'>[] = [];
        for (const e of entries) {
          switch (e.type) {
            case 'shift.opened':
              openShift = e;
              break;
            case 'shift.closed':
              if (openShift?.data.shiftId === e.data.shiftId) openShift = undefined;
              break;
            case 'sale.completed':
            case 'return.completed':
              lastMovements = e.data.stockMovements;
              receiptCount += 1;
              finished.add(e.data.saleId);
              lastSale = { saleId: e.data.saleId, receiptNumber: e.data.receiptNumber, entry: e.id };
              break;
            case 'sale.voided':
              finished.add(e.data.saleId);
              recalledOrVoided.add(e.data.saleId);
              break;
            case 'sale.recalled':
              recalledOrVoided.add(e.data.saleId);
              break;
            case 'sale.parked':
              parkedEntries.push(e);
              break;
            case 'sale.tendering':
              tendering = e;
              break;
          }
        }
        shift = openShift
          ? { shiftId: openShift.data.shiftId, float: openShift.data.float, openedAt: openShift.at }
          : undefined;
        parked = parkedEntries
          .filter((e) => !recalledOrVoided.has(e.data.saleId))
          .map((e) => ({ saleId: e.data.saleId, entry: e.id, at: e.at }));
        // The till may have died between journaling a sale and recording its stock: the
        // movements go again, and the inventory drops the ones it has (they are keyed by id).
        if (lastMovements.length > 0) await options.inventory?.record(lastMovements);
        if (tendering && !finished.has(tendering.data.saleId)) {
          const { currency: _currency, ...initial } = tendering.data.input as unknown as CartInput;
          replaceCart(makeCart(initial));
          saleId = tendering.data.saleId;
          parkedFrom = tendering.data.parkedFrom
            ? { entry: tendering.data.parkedFrom.entry, saleId: tendering.data.saleId }
            : undefined;
          sessionSub?.unsubscribe();
          session?.dispose();
          session = await attachSession(saleId, tendering.data.cart);
          // Unknown outcomes are asked about, never charged again.
          await session.recover();
          sale = 'tendering';
        }
        emit();
        return view();
      });
    },

    dispose() {
      scanSub?.unsubscribe();
      sessionSub?.unsubscribe();
      session?.dispose();
      stopDisplay?.();
      cartSub();
      state.complete();
      events.complete();
    },
  };

  function cashMovement(type: 'cash.in' | 'cash.out', amount: string, reason: string): Promise<void> {
    return serial(async () => {
      requireShift();
      const value = amountOf(amount, 'amount', decimals, false);
      if (typeof reason !== 'string' || reason.length === 0)
        invalid('reason', 'cash in and out need a reason');
      const entry = await options.journal.append(type, {
        operator: options.operator,
        shiftId: shift!.shiftId,
        amount: value.toFixed(decimals),
        currency: options.currency,
        reason,
      });
      await openDrawer(type === 'cash.in' ? 'cash-in' : 'cash-out', entry.id);
    });
  }

  /** float + cash taken - change given + cash in - cash out - cash refunds, from the journal. */
  async function expectedCash(current: ShiftState): Promise<Decimal> {
    const entries = await readAll(options.journal, [
      'shift.opened',
      'sale.completed',
      'return.completed',
      'cash.in',
      'cash.out',
      'sale.voided',
    ]);
    let inShift = false;
    let total = new Decimal(0);
    for (const e of entries) {
      if (e.type === 'shift.opened') {
        inShift = e.data.shiftId === current.shiftId;
        if (inShift) total = new Decimal(e.data.float);
        continue;
      }
      if (!inShift) continue;
      if (e.type === 'cash.in') total = total.plus(e.data.amount);
      else if (e.type === 'cash.out') total = total.minus(e.data.amount);
      else if (e.type === 'sale.completed' || e.type === 'return.completed') {
        // A cash tender's amount is what the drawer kept: handed over minus change, rounding included.
        for (const t of e.data.tenders) if (t.type === 'cash') total = total.plus(t.amount);
      }
    }
    return total;
  }

  const scanSub = options.devices?.scanner?.scans$.subscribe((scan) => {
    try {
      checkout.scan(scan.data, scan.symbology ? { symbology: scan.symbology } : {});
    } catch (error) {
      const kassa =
        error instanceof KassaError ? error : new KassaError('checkout.scan_rejected', String(error));
      events.next({ type: 'scan_rejected', data: scan.data, error: kassa });
    }
  });

  return checkout;
}
