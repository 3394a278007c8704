// Shared by the plain validity checks that run in front of zod (the cart's and the receipt
// document's): they accept only inputs zod would accept and return unchanged.

/** An object literal (or `Object.create(null)`): what zod's object schemas copy key by key. @internal */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A plain array, not a subclass. @internal */
export function isPlainArray(value: unknown): value is unknown[] {
  return Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype;
}

/**
 * Whether every key is one the schema knows (zod drops unknown keys from its output, so an
 * input with any is left to zod). for...in also sees inherited enumerable keys, which only
 * makes the check stricter. @internal
 */
export function hasOnlyKeys(value: object, allowed: ReadonlySet<string>): boolean {
  for (const key in value) if (!allowed.has(key)) return false;
  return true;
}
