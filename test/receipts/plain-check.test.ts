import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { documentSchema, isPlainValidDocument } from '../../src/receipts/document.js';
import { epsonTmT88, toEscPos } from '../../src/receipts/index.js';

const RUNS = { numRuns: Number(process.env.KASSA_PROPERTY_RUNS ?? 200) };

/**
 * Renderers skip zod's (copying, slow) parse for documents a plain check finds valid. That
 * check restates the schema, so it must never accept what the schema rejects or would
 * change: these properties pin it to the schema.
 */

const align = fc.constantFrom('left', 'center', 'right') as fc.Arbitrary<'left' | 'center' | 'right'>;
const styleShape = {
  bold: fc.boolean(),
  underline: fc.boolean(),
  invert: fc.boolean(),
  width: fc.integer({ min: 1, max: 8 }),
  height: fc.integer({ min: 1, max: 8 }),
};
const style = fc.record(styleShape, { requiredKeys: [] });
const text = fc.string({ maxLength: 12 });
const opt = <T extends Record<string, fc.Arbitrary<unknown>>>(shape: T, required: (keyof T)[]) =>
  fc.record(shape, { requiredKeys: required as never[] });

const validBlock = fc.oneof(
  opt({ type: fc.constant('text'), text, align, style }, ['type', 'text']),
  opt(
    {
      type: fc.constant('text'),
      text: fc.array(opt({ text, ...styleShape }, ['text']), { maxLength: 3 }),
      align,
      style,
    },
    ['type', 'text'],
  ),
  opt(
    {
      type: fc.constant('row'),
      columns: fc.array(opt({ text, width: fc.integer({ min: 1, max: 12 }), align, style }, ['text']), {
        minLength: 1,
        maxLength: 3,
      }),
      gap: fc.integer({ min: 0, max: 16 }),
      style,
    },
    ['type', 'columns'],
  ),
  opt({ type: fc.constant('rule'), char: fc.constantFrom('-', '=', '*') }, ['type']),
  opt({ type: fc.constant('blank'), lines: fc.integer({ min: 1, max: 255 }) }, ['type']),
  opt(
    {
      type: fc.constant('barcode'),
      symbology: fc.constant('code128'),
      value: fc.stringMatching(/^[\x20-\x7e]{1,20}$/),
      height: fc.integer({ min: 1, max: 255 }),
      hri: fc.boolean(),
      align,
    },
    ['type', 'symbology', 'value'],
  ),
  opt(
    {
      type: fc.constant('barcode'),
      symbology: fc.constantFrom('ean13', 'upca', 'ean8', 'itf'),
      value: fc.constantFrom(
        '4006381333931',
        '400638133393',
        '03600029145',
        '036000291452',
        '9638507',
        '1234',
      ),
    },
    ['type', 'symbology', 'value'],
  ).filter((b) => documentSchema.safeParse({ columns: 42, blocks: [b] }).success),
  opt(
    {
      type: fc.constant('qr'),
      data: fc.string({ minLength: 1, maxLength: 30 }),
      size: fc.integer({ min: 1, max: 16 }),
      errorLevel: fc.constantFrom('L', 'M', 'Q', 'H'),
      align,
    },
    ['type', 'data'],
  ),
  fc
    .record({
      width: fc.integer({ min: 1, max: 6 }),
      height: fc.integer({ min: 1, max: 4 }),
      rgba: fc.boolean(),
      clamped: fc.boolean(),
      extra: opt({ align, dither: fc.constantFrom('floyd-steinberg', 'threshold') }, []),
    })
    .map(({ width, height, rgba, clamped, extra }) => {
      const n = width * height * (rgba ? 4 : 1);
      return {
        type: 'image',
        width,
        height,
        pixels: clamped ? new Uint8ClampedArray(n) : new Uint8Array(n),
        ...extra,
      };
    }),
  opt({ type: fc.constant('cut'), partial: fc.boolean() }, ['type']),
  opt(
    {
      type: fc.constant('drawer'),
      pin: fc.constantFrom(2, 5),
      onMs: fc.integer({ min: 2, max: 510 }),
      offMs: fc.integer({ min: 2, max: 510 }),
    },
    ['type'],
  ),
);
const validDoc = opt(
  {
    columns: fc.integer({ min: 8, max: 255 }),
    blocks: fc.array(validBlock, { maxLength: 8 }),
    lang: fc.constantFrom('nl-NL', ''),
    title: text,
  },
  ['columns', 'blocks'],
);

// Values that are right somewhere and wrong somewhere else, to probe every field.
const oddValue = fc.oneof(
  fc.constantFrom(
    '',
    'x',
    '--',
    'left',
    'centre',
    'L',
    'm',
    'code128',
    'ean13',
    'upce',
    'qrcode',
    '4006381333931',
    '4006381333932',
    '12345',
    'A123B',
    'text',
    'row',
    'rule',
    'blank',
    'barcode',
    'qr',
    'image',
    'cut',
    'drawer',
    'toString',
    'threshold',
  ),
  // Numbers at and just past every bound of the schema, weighted: most fields are numbers.
  {
    weight: 8,
    arbitrary: fc.constantFrom(
      0,
      -0,
      1,
      2,
      3,
      5,
      7,
      8,
      9,
      15,
      16,
      17,
      254,
      255,
      256,
      509,
      510,
      511,
      65535,
      65536,
      -1,
      1.5,
    ),
  },
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, true, false, null),
  fc.constant(undefined),
  fc.constantFrom([], {}, [{}], [{ text: 'a' }]),
  fc.constant('new Uint8Array(4)').map(() => new Uint8Array(4)),
  fc.string({ maxLength: 4 }),
);

const FIELDS = [
  'type',
  'text',
  'align',
  'style',
  'columns',
  'gap',
  'width',
  'height',
  'char',
  'lines',
  'symbology',
  'value',
  'hri',
  'data',
  'size',
  'errorLevel',
  'pixels',
  'dither',
  'partial',
  'pin',
  'onMs',
  'offMs',
  'bold',
  'underline',
  'invert',
  'blocks',
  'lang',
  'title',
  'extra',
];

function records(value: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return out;
  if (!Array.isArray(value)) out.push(value as Record<string, unknown>);
  for (const v of Object.values(value)) records(v, out);
  return out;
}

/** A valid document with one field of one object in it replaced by an odd value (or removed). */
const mutatedDoc = fc
  .tuple(validDoc, fc.nat(), fc.nat(), oddValue, fc.boolean())
  .map(([valid, pick, fieldPick, value, sameArray]) => {
    const doc = structuredClone(valid) as Record<string, unknown>;
    const targets = records(doc);
    const target = targets[pick % targets.length]!;
    const own = Object.keys(target);
    const fields = [...own, ...own, ...own, ...own, ...own, ...own, ...own, ...own, ...FIELDS];
    const field = fields[fieldPick % fields.length]!;
    if (value === undefined) delete target[field];
    else if (sameArray && Array.isArray(target[field])) (target[field] as unknown[]).push(value);
    else target[field] = value;
    return doc;
  });

describe('the plain document check behind the renderers', () => {
  it('accepts only documents the schema accepts, and returns unchanged', () => {
    let accepted = 0;
    fc.assert(
      fc.property(mutatedDoc, (doc) => {
        if (!isPlainValidDocument(doc)) return;
        accepted++;
        const parsed = documentSchema.safeParse(doc);
        expect(parsed.success).toBe(true);
        expect(parsed.data).toEqual(doc);
      }),
      { numRuns: Math.max(RUNS.numRuns, 20_000) },
    );
    // Some mutations keep the document valid (a different valid value); the property must see them.
    expect(accepted).toBeGreaterThan(0);
  });

  it('takes every valid document (otherwise it would be dead code)', () => {
    fc.assert(
      fc.property(validDoc, (doc) => {
        expect(documentSchema.safeParse(doc).success).toBe(true);
        expect(isPlainValidDocument(doc)).toBe(true);
      }),
      RUNS,
    );
  });

  it('leaves every rejected document to zod, whose code and path the error carries', () => {
    const doc = {
      columns: 42,
      blocks: [
        { type: 'text', text: 'ok' },
        { type: 'barcode', symbology: 'ean13', value: '4006381333932' },
      ],
    };
    expect(isPlainValidDocument(doc)).toBe(false);
    expect(() => toEscPos(doc as never, epsonTmT88)).toThrow(
      expect.objectContaining({
        code: 'receipt.invalid_barcode',
        details: expect.objectContaining({ path: ['blocks', 1, 'value'] }),
      }),
    );
  });
});
