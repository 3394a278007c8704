/** The part of a zod error kassa reads (works for zod and zod/mini). */
interface ZodLikeIssue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly params?: Record<string, unknown> | undefined;
  /** Present on `unrecognized_keys` issues. */
  readonly keys?: readonly string[] | undefined;
  readonly expected?: unknown;
  readonly values?: readonly unknown[] | undefined;
  readonly minimum?: unknown;
  readonly maximum?: unknown;
  readonly origin?: unknown;
}

/**
 * zod/mini ships no message locale (it would cost every bundle), so its messages are a
 * bare "Invalid input"; kassa words the common issues itself.
 */
function describeIssue(issue: ZodLikeIssue): string {
  if (issue.message && issue.message !== 'Invalid input') return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${String(issue.expected)}`;
    case 'unrecognized_keys':
      return `unknown field${(issue.keys?.length ?? 0) > 1 ? 's' : ''} ${(issue.keys ?? []).map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_value':
      return `expected one of ${(issue.values ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'string'
        ? `must have at least ${String(issue.minimum)} characters`
        : `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `must have at most ${String(issue.maximum)} characters`
        : `must be at most ${String(issue.maximum)}`;
    case 'invalid_format':
      return 'has the wrong format';
    case 'invalid_union':
      return 'matches none of the accepted forms';
    default:
      return issue.message || 'invalid';
  }
}
interface ZodLikeError {
  readonly issues: readonly ZodLikeIssue[];
}

/**
 * Error codes of the core (money, cart, checkout). Each module adds its own codes in
 * its own file so that the union stays a literal union callers can switch on.
 */
export type CoreErrorCode =
  | 'validation.invalid_input'
  | 'validation.invalid_amount'
  | 'validation.invalid_quantity'
  | 'validation.invalid_currency'
  | 'validation.currency_mismatch'
  | 'validation.too_many_decimals'
  | 'validation.unknown_tax_category'
  | 'validation.duplicate_tax'
  | 'validation.unknown_line'
  | 'validation.duplicate_line'
  | 'validation.unknown_discount'
  | 'validation.duplicate_discount'
  | 'validation.invalid_discount'
  | 'validation.feature_missing'
  | 'validation.invalid_weights'
  | 'validation.unknown_product'
  | 'state.invalid_transition'
  | 'internal.invariant';

/**
 * Every stable error code kassa throws. Codes never change meaning once published;
 * messages may be reworded at any time, so branch on `code`, never on `message`.
 */
export type KassaErrorCode =
  | CoreErrorCode
  | import('./payments/error-codes.js').PaymentErrorCode
  | import('./devices/error-codes.js').DeviceErrorCode
  | import('./receipts/error-codes.js').ReceiptErrorCode
  | import('./cart/promotions/error-codes.js').PromotionErrorCode
  | import('./customers/error-codes.js').CustomerErrorCode
  | import('./journal/error-codes.js').JournalErrorCode
  | import('./inventory/error-codes.js').InventoryErrorCode
  | import('./reports/error-codes.js').ReportErrorCode;

/** One problem found in an input, with the path of the offending field. */
export interface KassaIssue {
  /** Path from the root of the input to the bad field, e.g. `['lines', 2, 'unitPrice']`. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** Extra data attached to a {@link KassaError}. */
export interface KassaErrorDetails {
  /** The validation issues, each naming the bad field. */
  readonly issues?: readonly KassaIssue[];
  /** Path of the first bad field, for the common one-issue case. */
  readonly path?: readonly (string | number)[];
  /** Anything else worth knowing: a provider's own code, a device status byte. */
  readonly [key: string]: unknown;
}

/**
 * The one error class kassa throws. `code` is stable and is what callers switch on.
 *
 * @example
 * ```ts
 * try { cart.add({ sku: 'x', quantity: 1.5 }); }
 * catch (e) { if (isKassaError(e) && e.code === 'validation.invalid_quantity') { ... } }
 * ```
 */
export class KassaError extends Error {
  override readonly name = 'KassaError';
  readonly code: KassaErrorCode;
  readonly details: KassaErrorDetails;

  constructor(
    code: KassaErrorCode,
    message: string,
    details: KassaErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = code;
    this.details = details;
  }

  /** JSON form for logs and wire transfer; never contains the stack. */
  toJSON(): { name: string; code: KassaErrorCode; message: string; details: KassaErrorDetails } {
    return { name: this.name, code: this.code, message: this.message, details: this.details };
  }
}

/** Type guard that also works across bundle copies of kassa (checks the shape, not the prototype). */
export function isKassaError(value: unknown): value is KassaError {
  return (
    value instanceof KassaError ||
    (typeof value === 'object' &&
      value !== null &&
      (value as { name?: unknown }).name === 'KassaError' &&
      typeof (value as { code?: unknown }).code === 'string')
  );
}

/**
 * Turns a zod error into a `KassaError`. A custom issue may carry its own kassa code in
 * `params.code`; otherwise `fallback` is used. The first issue decides the code.
 */
export function fromZodError(error: ZodLikeError, fallback: KassaErrorCode, what: string): KassaError {
  const issues: KassaIssue[] = error.issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    // An unknown field is reported at the field itself, not at the object holding it.
    if (issue.code === 'unrecognized_keys' && issue.keys?.length === 1) path.push(issue.keys[0]!);
    return { path, message: describeIssue(issue) };
  });
  const first = error.issues[0];
  const customCode =
    first?.code === 'custom' ? (first.params as { code?: unknown } | undefined)?.code : undefined;
  const firstCode = typeof customCode === 'string' ? (customCode as KassaErrorCode) : fallback;
  const path = issues[0]?.path ?? [];
  const where = path.length > 0 ? ` at ${path.join('.')}` : '';
  return new KassaError(firstCode, `Invalid ${what}${where}: ${issues[0]?.message ?? 'invalid input'}`, {
    issues,
    path,
  });
}

/**
 * Parses `input` with `schema`, throwing a `KassaError` (never a ZodError) on failure.
 * @internal
 */
export function parseInput<T>(
  schema: { safeParse(input: unknown): { success: true; data: T } | { success: false; error: ZodLikeError } },
  input: unknown,
  what: string,
  fallback: KassaErrorCode = 'validation.invalid_input',
): T {
  const result = schema.safeParse(input);
  if (!result.success) throw fromZodError(result.error, fallback, what);
  return result.data;
}
