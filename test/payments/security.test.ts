import { describe, expect, it } from 'vitest';
import * as payments from '../../src/payments/index.js';

type Def = { type: string; [k: string]: unknown };
type Schema = { _zod: { def: Def }; safeParse(v: unknown): { success: boolean } };
const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && '_zod' in v;

/** Walks a zod schema, calling `visit` with every object key and every leaf schema. */
function walk(
  schema: Schema,
  path: string,
  keys: string[],
  leaves: { path: string; schema: Schema }[],
  seen = new Set<Schema>(),
) {
  if (seen.has(schema)) return;
  seen.add(schema);
  const def = schema._zod.def;
  switch (def.type) {
    case 'object':
      for (const [k, v] of Object.entries(def.shape as Record<string, Schema>)) {
        keys.push(k);
        walk(v, `${path}.${k}`, keys, leaves, seen);
      }
      return;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'readonly':
      walk(def.innerType as Schema, path, keys, leaves, seen);
      return;
    case 'array':
      walk(def.element as Schema, `${path}[]`, keys, leaves, seen);
      return;
    case 'union':
      for (const o of def.options as Schema[]) walk(o, path, keys, leaves, seen);
      return;
    case 'record':
      walk(def.valueType as Schema, `${path}{}`, keys, leaves, seen);
      return;
    case 'pipe':
      walk(def.in as Schema, path, keys, leaves, seen);
      return;
    default:
      leaves.push({ path, schema });
  }
}

const exported = (Object.entries(payments) as [string, unknown][]).filter((e): e is [string, Schema] =>
  isSchema(e[1]),
);
const keys: string[] = [];
const leaves: { path: string; schema: Schema }[] = [];
for (const [name, schema] of exported) walk(schema, name, keys, leaves);

describe('no public schema can carry card data', () => {
  it('walks a real set of schemas', () => {
    expect(exported.length).toBeGreaterThanOrEqual(15);
    expect(leaves.filter((l) => l.schema._zod.def.type === 'string').length).toBeGreaterThan(30);
  });

  it('has no field named for a PAN, track data, CVV, PIN or expiry', () => {
    const forbidden =
      /pan$|^pan|cardnumber|card_number|accountnumber|track|cvv|cvc|cid$|securitycode|pin$|^pin|pinblock|expir|exp_?month|exp_?year/i;
    const bad = [...new Set(keys)].filter((k) => forbidden.test(k.replace(/[-_]/g, '')) || forbidden.test(k));
    expect(bad).toEqual([]);
  });

  it('refuses a card number, track 1 and track 2 data in every string field', () => {
    const samples = [
      '4242424242424242',
      '4111 1111 1111 1111',
      '5555-5555-5555-4444',
      'declined for 378282246310005',
      '%B4242424242424242^DOE/JOHN^2812101000000000000000000000000?',
      ';4242424242424242=28121010000000000000?',
    ];
    const accepted: string[] = [];
    for (const { path, schema } of leaves) {
      for (const s of samples) if (schema.safeParse(s).success) accepted.push(`${path} <- ${s}`);
    }
    expect(accepted).toEqual([]);
  });

  it('refuses a card number given as a number in every numeric field', () => {
    const accepted = leaves
      .filter(({ schema }) => schema.safeParse(4242424242424242).success)
      .map(({ path }) => path);
    expect(accepted).toEqual([]);
  });

  it('keeps only the last four digits of a card', () => {
    expect(payments.CardDetailsSchema.safeParse({ brand: 'visa', last4: '4242' }).success).toBe(true);
    expect(payments.CardDetailsSchema.safeParse({ brand: 'visa', last4: '424242' }).success).toBe(false);
  });

  it('does not mistake ordinary references for card data', () => {
    expect(payments.containsCardData('pi_3Nf8q2LkdIwHu7ix0s1')).toBe(false);
    expect(payments.containsCardData('sale 2026-01-01 12:00')).toBe(false);
    expect(payments.containsCardData('1234567890123')).toBe(false); // 13 digits failing Luhn
    expect(payments.containsCardData('7914073381342284')).toBe(false); // an Adyen pspReference
    for (let i = 0; i < 200; i++) expect(payments.containsCardData(payments.newPaymentId())).toBe(false);
  });
});
