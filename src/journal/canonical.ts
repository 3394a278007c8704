import { KassaError } from '../errors.js';

/**
 * RFC 8785 (JSON Canonicalization Scheme) serialisation of plain JSON data: object keys sorted
 * by UTF-16 code units, no whitespace, strings and numbers as ECMAScript's JSON.stringify writes
 * them. Anything that is not plain JSON (undefined, a function, a Date, a Decimal, NaN, a class
 * instance) is refused rather than silently turned into something else, because the hash of an
 * entry must be the hash of exactly what is stored.
 *
 * @throws KassaError `journal.invalid_entry` naming the path of the offending value
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, out, []);
  return out.join('');
}

function fail(path: readonly (string | number)[], what: string): never {
  throw new KassaError('journal.invalid_entry', `Journal data at ${path.join('.') || '(root)'} is ${what}`, {
    path: [...path],
  });
}

function write(value: unknown, out: string[], path: (string | number)[]): void {
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) fail(path, 'not a finite number');
      // ECMAScript's Number-to-string is what RFC 8785 prescribes; -0 serialises as 0.
      out.push(JSON.stringify(value));
      return;
    case 'object': {
      if (value === null) {
        out.push('null');
        return;
      }
      if (Array.isArray(value)) {
        out.push('[');
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out.push(',');
          path.push(i);
          const item = value[i];
          if (item === undefined) fail(path, 'undefined');
          write(item, out, path);
          path.pop();
        }
        out.push(']');
        return;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null)
        fail(path, 'not a plain object (amounts are decimal strings)');
      const record = value as Record<string, unknown>;
      // Default sort compares UTF-16 code units, which is the order RFC 8785 asks for.
      const keys = Object.keys(record).sort();
      out.push('{');
      let first = true;
      for (const key of keys) {
        const item = record[key];
        if (item === undefined) continue;
        if (!first) out.push(',');
        first = false;
        out.push(JSON.stringify(key), ':');
        path.push(key);
        write(item, out, path);
        path.pop();
      }
      out.push('}');
      return;
    }
    default:
      fail(path, typeof value);
  }
}

/** Deep-freezes plain JSON data (arrays and objects), returning it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
