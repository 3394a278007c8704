/**
 * Values that went through a `define*` function: validated once, then frozen, so that the
 * parsed form can never go stale. Anything else is validated on every use.
 * @internal
 */
const defined = new WeakSet<object>();

/** Freezes a validated value (plain objects and arrays, deeply unless told) and marks it as defined. @internal */
export function markDefined<T extends object>(value: T, deep = true): Readonly<T> {
  if (deep) deepFreeze(value);
  else Object.freeze(value);
  defined.add(value);
  return value;
}

/** Whether `value` came out of a `define*` function (and so is frozen and valid). @internal */
export function isDefined(value: unknown): boolean {
  return typeof value === 'object' && value !== null && defined.has(value);
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  const proto = Object.getPrototypeOf(value);
  // Only data: a Decimal or a class instance is left as it is.
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
}
