import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellsOf, layout, PLAIN, styleOf, wrapRuns } from '../../src/receipts/layout.js';

const word = fc.stringMatching(/^[a-zA-Z0-9éü€.,-]{1,14}$/);
const text = fc
  .array(fc.tuple(word, fc.constantFrom(' ', '  ', '\n')), { maxLength: 20 })
  .map((parts) => parts.map(([w, sep]) => w + sep).join(''));

describe('layout', () => {
  it('never makes a line wider than the paper, and keeps every word in order', () => {
    fc.assert(
      fc.property(
        text,
        fc.integer({ min: 8, max: 48 }),
        fc.integer({ min: 1, max: 2 }),
        (t, columns, width) => {
          const style = styleOf(false, false, false, width, 1);
          const lines = wrapRuns([{ text: t, style }], columns);
          for (const line of lines) expect(cellsOf(line)).toBeLessThanOrEqual(columns);
          const words = (s: string) => s.split(/\s+/).filter(Boolean);
          // A word longer than the line is split; joining the pieces back gives the words again.
          const joined = lines.map((l) => l.map((r) => r.text).join('')).join(' ');
          expect(words(joined).join('')).toBe(words(t).join(''));
        },
      ),
    );
  });

  it('pads every row to its columns, each column wrapping within its width', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ text, width: fc.option(fc.integer({ min: 3, max: 12 }), { nil: undefined }) }), {
          minLength: 1,
          maxLength: 3,
        }),
        (columns) => {
          const doc = {
            columns: 42,
            blocks: [
              {
                type: 'row' as const,
                columns: columns.map((c) =>
                  c.width === undefined ? { text: c.text } : { text: c.text, width: c.width },
                ),
              },
            ],
          };
          for (const item of layout(doc, 42)) {
            if (item.kind === 'line') expect(cellsOf(item.runs)).toBeLessThanOrEqual(42);
          }
        },
      ),
    );
  });

  it('keeps leading spaces as an indent and drops spaces at a wrap', () => {
    expect(
      wrapRuns([{ text: '  ab cd ef', style: PLAIN }], 6).map((l) => l.map((r) => r.text).join('')),
    ).toEqual(['  ab', 'cd ef']);
  });

  it('breaks a word longer than the line', () => {
    expect(
      wrapRuns([{ text: 'abcdefghij', style: PLAIN }], 4).map((l) => l.map((r) => r.text).join('')),
    ).toEqual(['abcd', 'efgh', 'ij']);
  });
});
