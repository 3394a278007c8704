import { isKassaError } from '../../src/errors.js';

/**
 * The bad values every path of every public input is tried with: wrong types, null and
 * undefined, NaN, Infinity, amounts written the way people do but kassa must not guess at,
 * huge strings, deep nesting and very long arrays.
 */
export function badValues(): { label: string; value: unknown }[] {
  let deep: unknown = 'x';
  for (let i = 0; i < 10_000; i++) deep = [deep];
  return [
    { label: 'undefined', value: undefined },
    { label: 'null', value: null },
    { label: 'NaN', value: Number.NaN },
    { label: 'Infinity', value: Number.POSITIVE_INFINITY },
    { label: "'1e999'", value: '1e999' },
    { label: "'12,50'", value: '12,50' },
    { label: 'symbol', value: Symbol('bad') },
    { label: 'bigint', value: 10n },
    { label: 'true', value: true },
    { label: '-1', value: -1 },
    { label: 'empty string', value: '' },
    { label: 'huge string', value: 'x'.repeat(2_000_000) },
    { label: 'object', value: { nested: { deeper: 1 } } },
    { label: 'array', value: ['1'] },
    { label: 'deep array', value: deep },
    { label: 'long array', value: new Array(2_000_000).fill('1') },
    { label: 'function', value: () => 1 },
  ];
}

export type Path = (string | number)[];

function isPlain(value: unknown): value is Record<string, unknown> | unknown[] {
  if (Array.isArray(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Every path into the plain objects and arrays of `args`, the arguments themselves included. */
export function pathsOf(args: readonly unknown[]): Path[] {
  const paths: Path[] = [];
  const walk = (value: unknown, path: Path) => {
    paths.push(path);
    if (!isPlain(value) || path.length > 6) return;
    if (Array.isArray(value)) {
      for (let i = 0; i < Math.min(3, value.length); i++) walk(value[i], [...path, i]);
    } else for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
  };
  args.forEach((a, i) => {
    walk(a, [i]);
  });
  return paths;
}

/** Paths of the plain objects (not arrays) in `args`: where an unknown key can be added. */
export function objectPaths(args: readonly unknown[]): Path[] {
  return pathsOf(args).filter((p) => {
    const v = get(args, p);
    return isPlain(v) && !Array.isArray(v);
  });
}

function get(root: unknown, path: Path): unknown {
  let node = root;
  for (const key of path) node = (node as Record<string | number, unknown>)[key];
  return node;
}

/** A copy of `args` (plain parts only; class instances are shared) with `path` set to `value`. */
export function withValue(args: readonly unknown[], path: Path, value: unknown): unknown[] {
  const copy = (node: unknown, depth: number): unknown => {
    if (!isPlain(node)) return node;
    if (Array.isArray(node)) return node.map((v) => copy(v, depth + 1));
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, copy(v, depth + 1)]));
  };
  const next = copy([...args], 0) as unknown[];
  let node: Record<string | number, unknown> = next as unknown as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1)!] = value;
  return next;
}

/** A copy of `args` with the key at `path` renamed (a typo) or, with `rename` undefined, a key added. */
export function withKeyTypo(args: readonly unknown[], objectPath: Path, key: string | undefined): unknown[] {
  const target = get(args, objectPath) as Record<string, unknown>;
  const entries = Object.entries(target);
  const next =
    key === undefined
      ? { ...target, zzUnknownOption: '1' }
      : Object.fromEntries(entries.map(([k, v]) => [k === key ? `${k.slice(0, -1)}` : k, v]));
  return objectPath.length === 0 ? [next] : withValue(args, objectPath, next);
}

/**
 * A fingerprint of a value that sees through plain objects, arrays, Maps and Decimals but
 * never throws (symbols, functions, cycles), to tell whether an input was mutated.
 */
export function fingerprint(value: unknown, seen = new Set<unknown>(), depth = 0): string {
  if (depth > 40) return 'deep';
  if (typeof value === 'symbol') return 'symbol';
  if (typeof value === 'function') return 'fn';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string')
    return value.length > 64 ? `str${value.length}:${value.slice(0, 16)}` : JSON.stringify(value);
  if (typeof value !== 'object' || value === null) return String(value);
  if (seen.has(value)) return 'cycle';
  seen.add(value);
  if (Array.isArray(value)) {
    if (value.length > 1000) return `arr${value.length}`;
    return `[${value.map((v) => fingerprint(v, seen, depth + 1)).join(',')}]`;
  }
  if (typeof (value as { toFixed?: unknown }).toFixed === 'function' && 'd' in value)
    return `D${String(value)}`;
  return `{${Object.keys(value)
    .sort()
    .map((k) => `${k}:${fingerprint((value as Record<string, unknown>)[k], seen, depth + 1)}`)
    .join(',')}}`;
}

/** Garbage that must never come out of a call that accepted its input. */
export function findGarbage(value: unknown, depth = 0, seen = new Set<unknown>()): string | undefined {
  if (depth > 8) return undefined;
  if (typeof value === 'number' && !Number.isFinite(value)) return `the number ${value}`;
  if (typeof value === 'string') {
    const bad = ['NaN', 'Infinity', '∞', 'undefined', '[object Object]'].find((b) => value.includes(b));
    return bad ? `a string containing ${bad}: ${JSON.stringify(value.slice(0, 60))}` : undefined;
  }
  if (typeof value !== 'object' || value === null || seen.has(value)) return undefined;
  seen.add(value);
  if (typeof (value as { isFinite?: unknown }).isFinite === 'function' && 'd' in value) {
    return (value as unknown as { isFinite(): boolean }).isFinite() ? undefined : 'a non-finite Decimal';
  }
  if (!isPlain(value)) return undefined;
  for (const v of Array.isArray(value) ? value : Object.values(value)) {
    const found = findGarbage(v, depth + 1, seen);
    if (found) return found;
  }
  return undefined;
}

/** What one malformed call did. */
export type Outcome =
  | { kind: 'ok'; garbage?: string | undefined; ms: number }
  | { kind: 'rejected'; code: string; path: unknown; ms: number }
  | { kind: 'crashed'; error: string; ms: number };

/** Calls `fn` and classifies what happened; async functions are awaited. */
export async function attempt(fn: () => unknown): Promise<Outcome> {
  const start = performance.now();
  try {
    const result = await fn();
    return { kind: 'ok', garbage: findGarbage(result), ms: performance.now() - start };
  } catch (error) {
    const ms = performance.now() - start;
    if (isKassaError(error)) return { kind: 'rejected', code: error.code, path: error.details.path, ms };
    const e = error as { name?: unknown; message?: unknown };
    return { kind: 'crashed', error: `${String(e?.name)}: ${String(e?.message).slice(0, 120)}`, ms };
  }
}
