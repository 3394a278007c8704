import { describe, expect, it } from 'vitest';
import { decodeEscPos } from '../../src/receipts/index.js';

describe('decodeEscPos on hostile streams (counterexamples found by the fuzz property)', () => {
  it('a GS 8 L length with the top bit set is skipped, not turned negative', () => {
    // fast-check seed 404472474: the length 0x80000000 became negative through `<< 24`
    // and sent the decoder backwards past the start of the buffer.
    const decoded = decodeEscPos(new Uint8Array([29, 56, 0, 0, 0, 0, 128, 65, 10]));
    expect(decoded.warnings).toContain('offset 0: skipped GS 8 L graphics');
    // The huge length swallows the rest of the stream, as a printer would.
    expect(decoded.blocks).toEqual([]);
  });

  it('text after a well-formed GS 8 L block is still decoded', () => {
    const decoded = decodeEscPos(new Uint8Array([29, 56, 76, 2, 0, 0, 0, 48, 48, 72, 105, 10]));
    const text = JSON.stringify(decoded.blocks);
    expect(text).toContain('Hi');
  });
});
