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
  | 'validation.unknown_field'
  | 'validation.too_large'
  | 'validation.too_deep'
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
  | import('./checkout/error-codes.js').CheckoutErrorCode;

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
  // A misspelt key also shows up as the real key missing; the typo is the cause to report.
  const ordered = [...error.issues].sort(
    (a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'),
  );
  const issues: KassaIssue[] = ordered.map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    // An unknown field is reported at the field itself, not at the object holding it.
    if (issue.code === 'unrecognized_keys' && issue.keys?.length === 1) path.push(issue.keys[0]!);
    return { path, message: describeIssue(issue) };
  });
  const first = ordered[0];
  const customCode =
    first?.code === 'custom' ? (first.params as { code?: unknown } | undefined)?.code : undefined;
  // A misspelt key must never pass for a missing one: it has its own code in every module.
  const firstCode =
    typeof customCode === 'string'
      ? (customCode as KassaErrorCode)
      : first?.code === 'unrecognized_keys'
        ? 'validation.unknown_field'
        : fallback;
  const path = issues[0]?.path ?? [];
  const where = path.length > 0 ? ` at ${path.join('.')}` : '';
  return new KassaError(firstCode, `Invalid ${what}${where}: ${issues[0]?.message ?? 'invalid input'}`, {
    issues,
    path,
  });
}

/**
 * The one boundary every public input goes through: the shape limits of
 * {@link INPUT_LIMITS}, then `schema`, throwing a `KassaError` (never a ZodError) whose code
 * starts with `validation.` and whose details carry the path of the bad field. Strict object
 * schemas make an unknown or misspelt key `validation.unknown_field`.
 * @internal
 */
export function parseInput<T>(
  schema: { safeParse(input: unknown): { success: true; data: T } | { success: false; error: ZodLikeError } },
  input: unknown,
  what: string,
  fallback: KassaErrorCode = 'validation.invalid_input',
): T {
  checkInputShape(input, what);
  const result = schema.safeParse(input);
  if (!result.success) throw fromZodError(result.error, fallback, what);
  return result.data;
}

/**
 * The limits every public input is held to before any schema reads it, so that a hostile or
 * runaway input (a million-element array, an array nested ten thousand levels deep) is refused
 * in milliseconds with `validation.too_large` or `validation.too_deep` instead of keeping the
 * till busy or overflowing the stack. Modules state tighter, named limits in their schemas
 * (lines per cart, promotions per list, bytes per document); see docs/errors.md.
 */
export const INPUT_LIMITS = Object.freeze({
  /** Nesting of plain objects and arrays. */
  depth: 64,
  /** Plain objects, arrays and their members counted together. */
  nodes: 1_000_000,
  /** Characters in one string. */
  stringLength: 1_000_000,
});

function isPlainContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  if (Array.isArray(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Walks the plain objects and arrays of `value` (class instances such as a Decimal, a store
 * or a provider are leaves) and throws a `KassaError` with the path of the first part past
 * {@link INPUT_LIMITS}. Iterative, so no input can overflow the stack; cycles count against
 * the node limit and are reported as too deep.
 * @internal
 */
export function checkInputShape(value: unknown, what: string, limits = INPUT_LIMITS): void {
  if (typeof value === 'string') {
    if (value.length > limits.stringLength)
      tooLarge(what, [], `a string of ${value.length} characters`, limits);
    return;
  }
  if (!isPlainContainer(value)) return;
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  let nodes = 0;
  while (stack.length > 0) {
    const { value: node, path } = stack.pop()!;
    if (typeof node === 'string') {
      if (node.length > limits.stringLength)
        tooLarge(what, path, `a string of ${node.length} characters`, limits);
      continue;
    }
    if (!isPlainContainer(node)) continue;
    if (path.length >= limits.depth) {
      throw new KassaError(
        'validation.too_deep',
        `Invalid ${what} at ${path.slice(0, 8).join('.')}…: nested deeper than ${limits.depth} levels`,
        { path, issues: [{ path, message: `nested deeper than ${limits.depth} levels` }] },
      );
    }
    if (Array.isArray(node)) {
      nodes += node.length + 1;
      if (nodes > limits.nodes) tooLarge(what, path, `more than ${limits.nodes} values`, limits);
      for (let i = 0; i < node.length; i++) {
        const item = node[i];
        if (typeof item === 'object' || typeof item === 'string')
          stack.push({ value: item, path: [...path, i] });
      }
    } else {
      const keys = Object.keys(node);
      nodes += keys.length + 1;
      if (nodes > limits.nodes) tooLarge(what, path, `more than ${limits.nodes} values`, limits);
      for (const key of keys) {
        const item = node[key];
        if (typeof item === 'object' || typeof item === 'string')
          stack.push({ value: item, path: [...path, key] });
      }
    }
  }
}

function tooLarge(
  what: string,
  path: (string | number)[],
  found: string,
  limits: typeof INPUT_LIMITS,
): never {
  const where = path.length > 0 ? ` at ${path.join('.')}` : '';
  throw new KassaError(
    'validation.too_large',
    `Invalid ${what}${where}: ${found}, past kassa's input limits`,
    {
      path,
      issues: [{ path, message: `${found}, past kassa's input limits` }],
      limits,
    },
  );
}

/**
 * A short, safe description of any value for an error message: never throws (symbols, revoked
 * proxies, cyclic or deeply nested arrays), never longer than about 60 characters.
 * @internal
 */
export function describeValue(value: unknown): string {
  try {
    switch (typeof value) {
      case 'string':
        return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
      case 'number':
      case 'boolean':
      case 'undefined':
        return String(value);
      case 'bigint':
        return `${value}n`;
      case 'symbol':
        return 'a symbol';
      case 'function':
        return 'a function';
      default:
        if (value === null) return 'null';
        if (Array.isArray(value)) return `an array of ${value.length}`;
        return 'an object';
    }
  } catch {
    return 'an unreadable value';
  }
}

/**
 * The plain check of an options object (the small objects that tune a call: `{ step, mode }`):
 * `undefined` is allowed, anything else must be a plain object whose keys are all in `allowed`.
 * A misspelt option is `validation.unknown_field`, since a typo that is ignored changes money
 * silently (`round(m, { ste: '0.05' })`).
 * @internal
 */
export function checkOptions(
  value: unknown,
  allowed: readonly string[],
  what: string,
  path: readonly (string | number)[] = [],
): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const at = [...path];
    throw new KassaError(
      'validation.invalid_input',
      `Invalid ${what}: expected an options object, got ${describeValue(value)}`,
      { path: at, issues: [{ path: at, message: 'expected an object' }] },
    );
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      const at = [...path, key];
      throw new KassaError(
        'validation.unknown_field',
        `Invalid ${what}: unknown option "${key}"${allowed.length ? ` (known: ${allowed.join(', ')})` : ''}`,
        { path: at, issues: [{ path: at, message: `unknown field "${key}"` }] },
      );
    }
  }
}
