import { Observable, type Subscriber } from 'rxjs';
import * as z from 'zod/mini';
import { checkOptions, KassaError, parseInput } from '../errors.js';
import { tryParseDecimal } from '../money/decimal.js';
import type { Catalog } from './catalog.js';
import { assertFeatures, type PricingFeatures } from './features.js';
import { priceParsedCart } from './price-cart.js';
import {
  cartInputSchema,
  discountInputSchema,
  isPlainValidCart,
  lineInputSchema,
  pricingRulesSchema,
  taxInputSchema,
} from './schemas.js';
import type { CartInput, DiscountInput, LineInput, PricedCart, PricingRules, TaxInput } from './types.js';

/** Options of {@link createCart}. */
export interface CreateCartOptions {
  /** ISO 4217 code. */
  currency: string;
  rules?: PricingRules;
  /** Resolves SKUs and GTINs to products when `add` is given no price. */
  catalog?: Catalog;
  /** Default `false`. */
  pricesIncludeTax?: boolean;
  /** Add to an existing plain line of the same SKU and price instead of a new line. Default `true`. */
  mergeLines?: boolean;
  /** Makes line ids; default `line-1`, `line-2`, ... */
  newLineId?: () => string;
  /** Sales channel for promotions (`'store'`, `'online'`). */
  channel?: string;
  /** Optional pipeline stages (promotions, price lists, loyalty), passed in as values. */
  features?: PricingFeatures;
  /** Start from an existing cart (a parked sale, a restored session). */
  initial?: Omit<CartInput, 'currency'>;
}

/** What `add` takes: a SKU (or GTIN) and a quantity; anything not given comes from the catalog. */
export interface AddLineCommand {
  sku: string;
  /** Default 1; a decimal for measured goods, negative for a return. */
  quantity?: string | number;
  id?: string;
  name?: string;
  unitPrice?: string;
  unit?: string;
  taxCategory?: string;
  taxes?: TaxInput[];
  categories?: string[];
  attributes?: Record<string, string>;
  priceIncludesTax?: boolean;
  discounts?: DiscountInput[];
  returnOf?: { saleId: string; lineId: string };
}

/** A customer attached to the cart; changes price lists, promotions and tax exemption. */
export interface CartCustomer {
  id: string;
  groups?: string[];
  taxExempt?: boolean;
}

/**
 * An observable cart. Every command is validated; a rejected command throws a
 * `KassaError` and leaves the cart exactly as it was. After every accepted command,
 * `state$` emits the new immutable {@link PricedCart}.
 */
export interface CartStore {
  /** Emits the priced cart now and after every accepted command. */
  readonly state$: Observable<PricedCart>;
  /** The current priced cart, synchronously. */
  snapshot(): PricedCart;
  /** For `useSyncExternalStore(cart.subscribe, cart.snapshot)`; returns the unsubscribe function. */
  subscribe(listener: (cart: PricedCart) => void): () => void;
  /** The cart as input data, for journaling, parking or pricing on a server. */
  input(): CartInput;
  /** The rules the cart prices with. */
  rules(): PricingRules;
  /** Adds a line (or adds to a matching line); returns the line id. */
  add(command: AddLineCommand): string;
  setQuantity(lineId: string, quantity: string | number): void;
  remove(lineId: string): void;
  overridePrice(lineId: string, override: { unitPrice: string; reason: string; approvedBy?: string }): void;
  clearPriceOverride(lineId: string): void;
  /** A cart discount, or a line discount with `{ lineId }`. */
  applyDiscount(discount: DiscountInput, target?: { lineId: string }): void;
  removeDiscount(discountId: string, target?: { lineId: string }): void;
  setCustomer(customer: CartCustomer | undefined): void;
  applyCoupon(code: string): void;
  removeCoupon(code: string): void;
  setRules(rules: PricingRules): void;
  /** Empties the cart: lines, discounts, coupons and customer. */
  clear(): void;
}

const addSchema = z.strictObject({
  sku: z.string().check(z.minLength(1)),
  // Checked as a decimal with the line; the shape check here only needs "present or not".
  quantity: z.optional(z.unknown() as z.ZodMiniType<string | number>),
  id: z.optional(z.string().check(z.minLength(1))),
  name: z.optional(z.string()),
  unitPrice: z.optional(z.string()),
  unit: z.optional(z.string()),
  taxCategory: z.optional(z.string()),
  taxes: z.optional(z.array(taxInputSchema)),
  categories: z.optional(z.array(z.string())),
  attributes: z.optional(z.record(z.string(), z.string())),
  priceIncludesTax: z.optional(z.boolean()),
  discounts: z.optional(z.array(discountInputSchema)),
  returnOf: z.optional(z.strictObject({ saleId: z.string(), lineId: z.string() })),
});

const customerSchema = z.strictObject({
  id: z.string().check(z.minLength(1)),
  groups: z.optional(z.array(z.string().check(z.minLength(1)))),
  taxExempt: z.optional(z.boolean()),
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

const CART_OPTION_KEYS = [
  'currency',
  'rules',
  'catalog',
  'pricesIncludeTax',
  'mergeLines',
  'newLineId',
  'channel',
  'features',
  'initial',
];

function checkCartOptions(options: CreateCartOptions): void {
  checkOptions(options, CART_OPTION_KEYS, 'cart options');
  if (options === undefined) checkOptions(null, CART_OPTION_KEYS, 'cart options');
  checkOptions(
    options.initial,
    ['lines', 'discounts', 'customer', 'coupons', 'pricesIncludeTax', 'channel', 'at'],
    'initial cart',
    ['initial'],
  );
  const fn = (value: unknown, key: string, inner?: string) => {
    if (value === undefined) return;
    const ok = inner
      ? typeof value === 'object' &&
        value !== null &&
        typeof (value as Record<string, unknown>)[inner] === 'function'
      : typeof value === 'function';
    if (!ok) {
      throw new KassaError(
        'validation.invalid_input',
        `Invalid cart options at ${key}: expected ${inner ? `an object with a ${inner}() method` : 'a function'}`,
        {
          path: [key],
          issues: [{ path: [key], message: inner ? `expected a ${inner}() method` : 'expected a function' }],
        },
      );
    }
  };
  fn(options.catalog, 'catalog', 'lookup');
  fn(options.newLineId, 'newLineId');
  if (options.features !== undefined && (typeof options.features !== 'object' || options.features === null)) {
    throw new KassaError('validation.invalid_input', 'Invalid cart options at features: expected an object', {
      path: ['features'],
      issues: [{ path: ['features'], message: 'expected an object' }],
    });
  }
  if (options.mergeLines !== undefined && typeof options.mergeLines !== 'boolean') {
    throw new KassaError(
      'validation.invalid_input',
      'Invalid cart options at mergeLines: expected true or false',
      {
        path: ['mergeLines'],
        issues: [{ path: ['mergeLines'], message: 'expected a boolean' }],
      },
    );
  }
}

/**
 * Creates an observable cart store.
 *
 * @example
 * ```ts
 * const cart = createCart({ currency: 'EUR', rules, catalog });
 * cart.add({ sku: '4006381333931' });            // price, name and tax from the catalog
 * cart.add({ sku: 'apples', quantity: '0.375' }); // 0.375 kg
 * cart.state$.subscribe((priced) => render(priced.totals.total));
 * // React: useSyncExternalStore(cart.subscribe, cart.snapshot)
 * ```
 * @throws KassaError `validation.*` for bad options.
 */
export function createCart(options: CreateCartOptions): CartStore {
  checkCartOptions(options);
  const rulesInput = options.rules ?? {};
  let rules = parseInput(pricingRulesSchema, rulesInput, 'pricing rules');
  const features: PricingFeatures = { ...options.features };
  assertFeatures(rules, features);
  let counter = 0;
  const newLineId = options.newLineId ?? (() => `line-${++counter}`);
  const mergeLines = options.mergeLines ?? true;
  let input: CartInput = parseInput(
    cartInputSchema,
    {
      lines: [],
      ...options.initial,
      currency: options.currency,
      ...(options.pricesIncludeTax === undefined ? {} : { pricesIncludeTax: options.pricesIncludeTax }),
      ...(options.channel === undefined ? {} : { channel: options.channel }),
    },
    'cart',
  );
  // A hand-rolled replaying subject: rxjs's BehaviorSubject would add a kilobyte to every
  // bundle that imports the cart, and this is all of it that the store needs.
  let current = deepFreeze(priceParsedCart(input, rules, features));
  const subscribers = new Set<Subscriber<PricedCart>>();
  const listeners = new Set<(cart: PricedCart) => void>();
  const state$ = new Observable<PricedCart>((subscriber) => {
    subscriber.next(current);
    subscribers.add(subscriber);
    return () => {
      subscribers.delete(subscriber);
    };
  });

  /** Validates and prices a candidate; only a fully priced cart replaces the state. */
  function commit(next: CartInput, nextRules: PricingRules = rules): void {
    // The candidate is built here from parsed pieces; the plain check spares zod's copy of it.
    const parsed = isPlainValidCart(next) ? next : parseInput(cartInputSchema, next, 'cart');
    const priced = deepFreeze(priceParsedCart(parsed, nextRules, features));
    input = parsed;
    rules = nextRules;
    current = priced;
    for (const subscriber of [...subscribers]) subscriber.next(priced);
    for (const listener of [...listeners]) {
      try {
        listener(priced);
      } catch (error) {
        // A broken listener must not make an accepted command look rejected (as in rxjs).
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  function findLine(lineId: string): { line: LineInput; index: number } {
    const index = input.lines.findIndex((l) => l.id === lineId);
    if (index < 0) {
      throw new KassaError('validation.unknown_line', `No line "${lineId}" in the cart`, {
        path: ['lineId'],
      });
    }
    return { line: input.lines[index]!, index };
  }

  function replaceLine(index: number, line: LineInput | undefined): CartInput {
    const lines = [...input.lines];
    if (line) lines[index] = line;
    else lines.splice(index, 1);
    return { ...input, lines };
  }

  function lineErrorsRelative<T>(fn: () => T, prefix: (string | number)[]): T {
    try {
      return fn();
    } catch (error) {
      if (error instanceof KassaError && Array.isArray(error.details.path)) {
        const path = error.details.path as (string | number)[];
        if (path[0] === 'lines' && typeof path[1] === 'number') {
          const rel = [...prefix, ...path.slice(2)];
          throw new KassaError(
            error.code,
            error.message.replace(/ at lines\.\d+(\.[\w.]+)?/, rel.length > 0 ? ` at ${rel.join('.')}` : ''),
            {
              ...error.details,
              path: rel,
            },
          );
        }
      }
      throw error;
    }
  }

  return {
    state$,
    snapshot: () => current,
    subscribe(listener) {
      // No replay of the current value: useSyncExternalStore reads it through snapshot().
      const own = (cart: PricedCart) => listener(cart);
      listeners.add(own);
      return () => {
        listeners.delete(own);
      };
    },
    input: () => structuredClone(input),
    rules: () => structuredClone(rules),

    add(command) {
      const cmd = parseInput(addSchema, command, 'add command');
      // The catalog fills in whatever the command leaves out, even when a price is given
      // (a price-embedded barcode brings its price, but its tax still comes from the product).
      const product = options.catalog?.lookup(cmd.sku);
      if (cmd.unitPrice === undefined && !product) {
        throw new KassaError(
          'validation.unknown_product',
          options.catalog
            ? `No product "${cmd.sku}" in the catalog`
            : `No unitPrice for "${cmd.sku}" and no catalog to look it up`,
          { path: ['sku'] },
        );
      }
      const quantity = cmd.quantity ?? 1;
      const line: LineInput = {
        id: cmd.id ?? '',
        sku: product?.sku ?? cmd.sku,
        unitPrice: cmd.unitPrice ?? product!.unitPrice,
        quantity,
      };
      const name = cmd.name ?? product?.name;
      if (name !== undefined) line.name = name;
      const unit = cmd.unit ?? product?.unit;
      if (unit !== undefined) line.unit = unit;
      const categories = cmd.categories ?? product?.categories;
      if (categories !== undefined) line.categories = [...categories];
      const attributes = cmd.attributes ?? product?.attributes;
      if (attributes !== undefined) line.attributes = { ...attributes };
      if (cmd.taxes !== undefined || cmd.taxCategory !== undefined) {
        // Both given is ambiguous: the line schema rejects it, as priceCart does.
        if (cmd.taxes !== undefined) line.taxes = cmd.taxes;
        if (cmd.taxCategory !== undefined) line.taxCategory = cmd.taxCategory;
      } else if (product?.taxes !== undefined) line.taxes = product.taxes;
      else if (product?.taxCategory !== undefined) line.taxCategory = product.taxCategory;
      const includes = cmd.priceIncludesTax ?? product?.priceIncludesTax;
      if (includes !== undefined) line.priceIncludesTax = includes;
      if (cmd.discounts !== undefined) line.discounts = cmd.discounts;
      if (cmd.returnOf !== undefined) line.returnOf = cmd.returnOf;

      // The command is validated as a line of its own before any merge, so that an error
      // names what was entered (1.5 of an `each` item), not the merged quantity.
      lineErrorsRelative(() => parseInput(lineInputSchema, { ...line, id: cmd.id ?? 'new' }, 'line'), []);
      if (line.taxCategory !== undefined && !Object.hasOwn(rules.taxCategories ?? {}, line.taxCategory)) {
        throw new KassaError(
          'validation.unknown_tax_category',
          `Unknown tax category "${line.taxCategory}"; define it in rules.taxCategories`,
          {
            path: ['taxCategory'],
            issues: [{ path: ['taxCategory'], message: 'unknown tax category' }],
          },
        );
      }
      if (mergeLines && cmd.id === undefined) {
        const match = input.lines.findIndex(
          (l) =>
            l.sku === line.sku &&
            l.unitPrice === line.unitPrice &&
            (l.unit ?? 'each') === 'each' &&
            (line.unit ?? 'each') === 'each' &&
            !l.priceOverride &&
            !l.discounts?.length &&
            !line.discounts?.length &&
            !l.returnOf &&
            !line.returnOf &&
            l.name === line.name &&
            l.taxCategory === line.taxCategory &&
            JSON.stringify(l.taxes) === JSON.stringify(line.taxes),
        );
        const q = tryParseDecimal(quantity, 6);
        const existing = match >= 0 ? tryParseDecimal(input.lines[match]!.quantity, 6) : undefined;
        if (match >= 0 && q.ok && existing?.ok && q.value.isPositive() && existing.value.isPositive()) {
          const merged = { ...input.lines[match]!, quantity: existing.value.plus(q.value).toFixed() };
          lineErrorsRelative(() => commit(replaceLine(match, merged)), []);
          return merged.id;
        }
      }
      line.id = cmd.id ?? newLineId();
      try {
        lineErrorsRelative(() => parseInput(lineInputSchema, line, 'line'), []);
        lineErrorsRelative(() => commit({ ...input, lines: [...input.lines, line] }), []);
      } catch (error) {
        // A rejected add leaves nothing behind, not even a used-up default line id.
        if (cmd.id === undefined && options.newLineId === undefined) counter--;
        throw error;
      }
      return line.id;
    },

    setQuantity(lineId, quantity) {
      const { line, index } = findLine(lineId);
      lineErrorsRelative(() => commit(replaceLine(index, { ...line, quantity })), []);
    },

    remove(lineId) {
      const { index } = findLine(lineId);
      commit(replaceLine(index, undefined));
    },

    overridePrice(lineId, override) {
      const { line, index } = findLine(lineId);
      lineErrorsRelative(() => commit(replaceLine(index, { ...line, priceOverride: override })), []);
    },

    clearPriceOverride(lineId) {
      const { line, index } = findLine(lineId);
      const { priceOverride: _removed, ...rest } = line;
      commit(replaceLine(index, rest));
    },

    applyDiscount(discount, target) {
      const parsed = parseInput(discountInputSchema, discount, 'discount');
      if (target) {
        const { line, index } = findLine(target.lineId);
        const others = (line.discounts ?? []).filter((d) => d.id !== parsed.id);
        lineErrorsRelative(() => commit(replaceLine(index, { ...line, discounts: [...others, parsed] })), []);
      } else {
        const others = (input.discounts ?? []).filter((d) => d.id !== parsed.id);
        commit({ ...input, discounts: [...others, parsed] });
      }
    },

    removeDiscount(discountId, target) {
      if (target) {
        const { line, index } = findLine(target.lineId);
        if (!line.discounts?.some((d) => d.id === discountId)) {
          throw new KassaError(
            'validation.unknown_discount',
            `No discount "${discountId}" on line "${target.lineId}"`,
            {
              path: ['discountId'],
            },
          );
        }
        commit(replaceLine(index, { ...line, discounts: line.discounts.filter((d) => d.id !== discountId) }));
      } else {
        if (!input.discounts?.some((d) => d.id === discountId)) {
          throw new KassaError('validation.unknown_discount', `No cart discount "${discountId}"`, {
            path: ['discountId'],
          });
        }
        commit({ ...input, discounts: input.discounts.filter((d) => d.id !== discountId) });
      }
    },

    setCustomer(customer) {
      if (customer === undefined) {
        const { customer: _removed, ...rest } = input;
        commit(rest);
        return;
      }
      commit({ ...input, customer: parseInput(customerSchema, customer, 'customer') as CartCustomer });
    },

    applyCoupon(code) {
      const parsed = parseInput(z.string().check(z.minLength(1), z.maxLength(100)), code, 'coupon code');
      const coupons = input.coupons ?? [];
      if (coupons.includes(parsed)) return;
      commit({ ...input, coupons: [...coupons, parsed] });
    },

    removeCoupon(code) {
      commit({ ...input, coupons: (input.coupons ?? []).filter((c) => c !== code) });
    },

    setRules(nextRules) {
      const parsedRules = parseInput(pricingRulesSchema, nextRules, 'pricing rules');
      assertFeatures(parsedRules, features);
      commit(input, parsedRules);
    },

    clear() {
      const { customer: _c, coupons: _k, discounts: _d, ...rest } = input;
      commit({ ...rest, lines: [] });
    },
  };
}
