import { describe, expect, it } from 'vitest';
import {
  attempt,
  badValues,
  fingerprint,
  type Outcome,
  objectPaths,
  pathsOf,
  withKeyTypo,
  withValue,
} from './harness.js';
import { calls, entries, entriesNotYetFuzzed, notBoundaries, notYetFuzzed } from './registry.js';

/**
 * Issue #19's promise, checked by enumeration: every exported function either works or fails
 * with a `KassaError` whose code starts with `validation.` and names a path, quickly, without
 * touching its input; and a misspelt or unknown key is always `validation.unknown_field`.
 */
describe('every public function either works or says why', () => {
  it('knows every export of every entry (a new export needs a boundary and a fuzz spec)', async () => {
    const unknown: string[] = [];
    for (const [entry, load] of Object.entries(entries)) {
      if (entriesNotYetFuzzed.includes(entry as keyof typeof entries)) continue;
      const mod = (await load()) as Record<string, unknown>;
      for (const [name, value] of Object.entries(mod)) {
        if (typeof value !== 'function') continue;
        const key = `${entry}:${name}`;
        if (!(key in calls) && !(key in notBoundaries) && !notYetFuzzed.includes(key)) unknown.push(key);
      }
    }
    expect(unknown, 'exported functions with no entry in test/fuzz/registry.ts').toEqual([]);
  });

  for (const [key, spec] of Object.entries(calls)) {
    const [entry, name] = key.split(':') as [keyof typeof entries, string];
    it(`${key} rejects malformed input with a validation code and a path`, async () => {
      const fn = ((await entries[entry]()) as Record<string, (...a: unknown[]) => unknown>)[name]!;
      const valid = await attempt(() => fn(...spec.args()));
      expect(valid, 'the valid call of the spec').toMatchObject({ kind: 'ok' });

      const problems: string[] = [];
      const check = async (label: string, args: unknown[], mustReject?: 'validation.unknown_field') => {
        const before = fingerprint(args);
        const outcome: Outcome = await attempt(() => fn(...args));
        const after = fingerprint(args);
        if (before !== after) problems.push(`${label}: the input was mutated`);
        if (outcome.ms > 100) problems.push(`${label}: took ${outcome.ms.toFixed(0)} ms`);
        if (spec.predicate) {
          if (outcome.kind !== 'ok') problems.push(`${label}: a predicate must not throw`);
          return;
        }
        if (outcome.kind === 'crashed') problems.push(`${label}: crashed with ${outcome.error}`);
        else if (outcome.kind === 'ok') {
          if (mustReject) problems.push(`${label}: accepted, expected ${mustReject}`);
          else if (outcome.garbage) problems.push(`${label}: returned ${outcome.garbage}`);
        } else {
          if (!outcome.code.startsWith('validation.')) problems.push(`${label}: code ${outcome.code}`);
          else if (mustReject && outcome.code !== mustReject) problems.push(`${label}: code ${outcome.code}`);
          if (!Array.isArray(outcome.path)) problems.push(`${label}: no path in the error details`);
        }
      };

      const args = spec.args();
      for (const path of pathsOf(args)) {
        for (const bad of badValues()) {
          await check(`${bad.label} at [${path.join('.')}]`, withValue(args, path, bad.value));
        }
      }
      // Extra positional arguments are ignored by JavaScript; only keys can be misspelt.
      for (const path of objectPaths(args)) {
        const expected = spec.records?.includes(path.join('.')) ? undefined : 'validation.unknown_field';
        await check(`unknown key at [${path.join('.')}]`, withKeyTypo(args, path, undefined), expected);
        const target = path.reduce<unknown>((node, k) => (node as Record<string | number, unknown>)[k], args);
        for (const k of Object.keys(target as object)) {
          await check(`misspelt "${k}" at [${path.join('.')}]`, withKeyTypo(args, path, k), expected);
        }
      }
      expect(problems).toEqual([]);
    });
  }
});
