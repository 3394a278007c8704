import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import { describe, expect, it } from 'vitest';
import { isKassaError } from '../../src/errors.js';
import {
  epsonTmT20,
  type ReceiptDocument,
  starTsp100,
  toEscPos,
  toPrinterBytes,
  toStarPrnt,
} from '../../src/receipts/index.js';

const hex = (b: Uint8Array | number[]): string => Buffer.from(b).toString('hex');
const doc = (blocks: ReceiptDocument['blocks']): ReceiptDocument => ({ columns: 48, blocks });
/** ReceiptPrinterEncoder's StarPRNT output, as an independent reference for the command bytes. */
const reference = () =>
  new ReceiptPrinterEncoder({ language: 'star-prnt', columns: 48, printerModel: 'star-tsp100iv' });

describe('toStarPrnt', () => {
  it('initialises and selects the codepage with Star’s own numbers', () => {
    const bytes = toStarPrnt(doc([{ type: 'text', text: 'Prijs € 5' }]), starTsp100);
    expect(hex(bytes)).toBe(`1b40181b1d7404${hex(Buffer.from('Prijs '))}d5${hex(Buffer.from(' 5'))}0a`);
    expect(hex(reference().initialize().codepage('cp858').text('x').encode())).toContain('1b1d7404');
  });

  it('switches to CP866 with ESC GS t for Cyrillic', () => {
    expect(hex(toStarPrnt(doc([{ type: 'text', text: 'Жук' }]), starTsp100))).toContain('1b1d740a');
  });

  it('sends styles with the same bytes as ReceiptPrinterEncoder', () => {
    const ours = hex(
      toStarPrnt(
        doc([
          {
            type: 'text',
            text: [
              { text: 'B', bold: true },
              { text: 'U', underline: true },
              { text: 'I', invert: true },
              { text: 'S', width: 2, height: 3 },
            ],
          },
        ]),
        starTsp100,
      ),
    );
    const theirs = (build: (e: ReturnType<typeof reference>) => unknown, cut: number) => {
      const e = reference();
      build(e);
      return hex(e.encode()).slice(cut);
    };
    expect(ours).toContain(`1b45${hex(Buffer.from('B'))}1b46`);
    // ReceiptPrinterEncoder puts its codepage selection in between; the bold commands are the same.
    expect(theirs((e) => e.bold(true).text('B').bold(false), 0)).toMatch(/^(..)*1b45(..)*1b46/);
    expect(ours).toContain(`1b2d01${hex(Buffer.from('U'))}1b2d00`);
    expect(ours).toContain(`1b34${hex(Buffer.from('I'))}1b35`);
    expect(ours).toContain(`1b690201${hex(Buffer.from('S'))}`);
    expect(theirs((e) => e.size(2, 3).text('S'), 0)).toContain('1b690201');
  });

  it('draws barcodes and QR codes with the commands ReceiptPrinterEncoder uses', () => {
    const ours = hex(
      toStarPrnt(
        doc([
          { type: 'barcode', symbology: 'code128', value: 'ABC', height: 60 },
          { type: 'qr', data: 'https://x', size: 6, errorLevel: 'M' },
        ]),
        starTsp100,
      ),
    );
    const theirs = hex(
      reference()
        .barcode('ABC', 'code128', { height: 60, width: 2, text: 'below' })
        .qrcode('https://x', { model: 2, size: 6, errorlevel: 'm' })
        .encode(),
    );
    for (const command of [
      `1b620602023c${hex(Buffer.from('ABC'))}1e`,
      '1b1d79533002',
      '1b1d79533101',
      '1b1d79533206',
      `1b1d794431000900${hex(Buffer.from('https://x'))}`,
      '1b1d7950',
    ]) {
      expect(ours, command).toContain(command);
      expect(theirs, command).toContain(command);
    }
  });

  it('kicks the drawer with ESC BEL in 10 ms units, and feeds before a partial cut', () => {
    const ours = hex(
      toStarPrnt(
        doc([
          { type: 'drawer', onMs: 100, offMs: 500 },
          { type: 'cut', partial: true },
        ]),
        starTsp100,
      ),
    );
    expect(ours).toContain('1b070a3207');
    expect(hex(reference().pulse(0, 100, 500).encode())).toContain('1b070a3207');
    expect(ours.endsWith('1b6403')).toBe(true);
  });

  it('sends images as 24-dot column bands', () => {
    const pixels = new Uint8Array(16 * 30).fill(0);
    const ours = toStarPrnt(doc([{ type: 'image', width: 16, height: 30, pixels }]), starTsp100);
    const h = hex(ours);
    // Two bands of 16 columns, 3 bytes each; the second band is 6 dots high.
    expect(h).toContain(`1b5810${'00'}${'ff'.repeat(48)}0a0d`);
    expect(h).toContain(`1b5810${'00'}${'fc0000'.repeat(16)}0a0d`);
  });

  it('follows the profile’s language in toPrinterBytes, and refuses the wrong encoder', () => {
    const d = doc([{ type: 'text', text: 'x' }]);
    expect(toPrinterBytes(d, starTsp100)).toEqual(toStarPrnt(d, starTsp100));
    expect(toPrinterBytes(d, epsonTmT20)).toEqual(toEscPos(d, epsonTmT20));
    let code = '';
    try {
      toEscPos(d, starTsp100);
    } catch (e) {
      if (isKassaError(e)) code = e.code;
    }
    expect(code).toBe('receipt.invalid_profile');
  });
});
