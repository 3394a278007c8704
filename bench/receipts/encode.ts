/**
 * One standard receipt (store header, 40 lines at 42 columns, subtotal, two tax lines, total,
 * a CODE128 barcode, a QR code, a cut) encoded to ESC/POS by kassa,
 * @point-of-sale/receipt-printer-encoder and receiptline in one run.
 *
 *   node --import tsx bench/receipts/encode.ts
 */
import { cpus } from 'node:os';
import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import receiptline from 'receiptline';
import {
  epsonTmT88,
  freezeDocument,
  type ReceiptBlock,
  type ReceiptDocument,
  toEscPos,
} from '../../src/receipts/index.js';

const COLUMNS = 42;
const lines = Array.from({ length: 40 }, (_, i) => ({
  name: `Article number ${String(i + 1).padStart(2, '0')} Gouda`,
  amount: `${(i % 9) + 1},${String((i * 37) % 100).padStart(2, '0')}`,
  code: i % 3 === 0 ? 'B' : 'A',
}));
const header = ['De Kaasboer', 'Markt 12', '2611 GW Delft', 'BTW NL001234567B01'];
const totals = {
  subtotal: ['Subtotaal', '212,40'],
  taxA: ['A 9%      125,10', '11,26'],
  taxB: ['B 21%      87,30', '18,33'],
  total: ['TOTAAL', '€ 212,40'],
};
const BARCODE = 'R-2026-000123';
const QR = 'https://kaasboer.example/r/R-2026-000123';

// kassa: a document, built once, encoded each time (receiptline likewise gets its markup once).
// The hand-built one is validated on every call (the plain check, zod where it declines).
const blocks: ReceiptBlock[] = [
  { type: 'text', text: header[0]!, align: 'center', style: { bold: true, width: 2, height: 2 } },
  ...header.slice(1).map((t): ReceiptBlock => ({ type: 'text', text: t, align: 'center' })),
  { type: 'rule' },
  ...lines.map(
    (l): ReceiptBlock => ({
      type: 'row',
      columns: [{ text: l.name }, { text: l.amount, width: 10, align: 'right' }, { text: l.code, width: 1 }],
    }),
  ),
  { type: 'rule' },
  ...Object.entries(totals).map(
    ([key, [left, right]]): ReceiptBlock => ({
      type: 'row',
      columns: [{ text: left! }, { text: right!, width: 12, align: 'right' }],
      ...(key === 'total' ? { style: { bold: true, height: 2 } } : {}),
    }),
  ),
  { type: 'barcode', symbology: 'code128', value: BARCODE, height: 60 },
  { type: 'qr', data: QR, size: 6 },
  { type: 'cut' },
];
const doc: ReceiptDocument = { columns: COLUMNS, blocks };
// What buildReceipt returns: validated once and frozen, so the renderers skip the check.
const frozenDoc = freezeDocument(structuredClone(doc));

function kassa(): Uint8Array {
  return toEscPos(frozenDoc, epsonTmT88);
}

function kassaValidating(): Uint8Array {
  return toEscPos(doc, epsonTmT88);
}

function rpe(): Uint8Array {
  const e = new ReceiptPrinterEncoder({
    language: 'esc-pos',
    columns: COLUMNS,
    printerModel: 'epson-tm-t88vi',
  });
  e.initialize()
    .codepage('auto')
    .align('center')
    .bold(true)
    .size(2, 2)
    .line(header[0]!)
    .size(1, 1)
    .bold(false);
  for (const t of header.slice(1)) e.line(t);
  e.align('left').rule();
  e.table(
    [
      { width: 29, align: 'left' },
      { width: 10, align: 'right', marginLeft: 1 },
      { width: 1, align: 'left', marginLeft: 1 },
    ],
    lines.map((l) => [l.name, l.amount, l.code]),
  );
  e.rule();
  const cols = [
    { width: 29, align: 'left' as const },
    { width: 12, align: 'right' as const, marginLeft: 1 },
  ];
  e.table(cols, [totals.subtotal, totals.taxA, totals.taxB]);
  e.bold(true).height(2).table(cols, [totals.total]).height(1).bold(false);
  e.align('center').barcode(BARCODE, 'code128', 60).qrcode(QR, 2, 6, 'm').cut();
  return e.encode();
}

// The same receipt through ReceiptPrinterEncoder with the columns padded by hand instead of
// table(), which is where it spends most of its time: its fastest use, for a fair comparison.
const pad = (left: string, right: string, width: number): string =>
  left + right.padStart(width - left.length);
function rpeLines(): Uint8Array {
  const e = new ReceiptPrinterEncoder({
    language: 'esc-pos',
    columns: COLUMNS,
    printerModel: 'epson-tm-t88vi',
  });
  e.initialize()
    .codepage('cp858')
    .align('center')
    .bold(true)
    .size(2, 2)
    .line(header[0]!)
    .size(1, 1)
    .bold(false);
  for (const t of header.slice(1)) e.line(t);
  e.align('left').rule();
  for (const l of lines) e.line(`${pad(l.name, l.amount, 40)} ${l.code}`);
  e.rule();
  for (const [left, right] of [totals.subtotal, totals.taxA, totals.taxB])
    e.line(pad(left!, right!, COLUMNS));
  e.bold(true)
    .height(2)
    .line(pad(totals.total[0]!, totals.total[1]!, COLUMNS))
    .height(1)
    .bold(false);
  e.align('center').barcode(BARCODE, 'code128', 60).qrcode(QR, 2, 6, 'm').cut();
  return e.encode();
}

const rlDoc = [
  `^^^"${header[0]}"`,
  ...header.slice(1),
  '-',
  ...lines.map((l) => `${l.name} | ${l.amount} | ${l.code}`),
  '-',
  `${totals.subtotal[0]} | ${totals.subtotal[1]}`,
  `${totals.taxA[0]} | ${totals.taxA[1]}`,
  `${totals.taxB[0]} | ${totals.taxB[1]}`,
  `^"${totals.total[0]}" | ^"${totals.total[1]}"`,
  `{code:${BARCODE}; option:code128,3,60,hri}`,
  `{code:${QR}; option:qrcode,6,M}`,
  '=',
].join('\n');
const rlPrinter = { cpl: COLUMNS, encoding: 'cp858', command: 'escpos', cutting: true } as Parameters<
  typeof receiptline.transform
>[1];

function rl(): Uint8Array {
  return Buffer.from(receiptline.transform(rlDoc, rlPrinter), 'binary');
}

/**
 * Runs per second of CPU time over at least `ms` milliseconds of it. CPU time, not wall time:
 * the machine is shared, and time spent descheduled must not count against whoever ran then.
 */
function rate(fn: () => Uint8Array, ms: number): number {
  let runs = 0;
  const start = process.cpuUsage();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 5; i++) fn();
    runs += 5;
    const used = process.cpuUsage(start);
    elapsed = (used.user + used.system) / 1000;
  }
  return (runs / elapsed) * 1000;
}

const contenders: { name: string; fn: () => Uint8Array }[] = [
  { name: 'kassa toEscPos (frozen document)', fn: kassa },
  { name: 'kassa toEscPos (hand-built document, validated each call)', fn: kassaValidating },
  { name: '@point-of-sale/receipt-printer-encoder (table)', fn: rpe },
  { name: '@point-of-sale/receipt-printer-encoder (padded lines)', fn: rpeLines },
  { name: 'receiptline', fn: rl },
];
// Rounds interleave the contenders so that a busy machine slows them alike; the best round counts.
const best = new Map<string, number>();
for (const c of contenders) for (let i = 0; i < 20; i++) c.fn(); // warm up
for (let round = 0; round < 5; round++) {
  for (const c of contenders) best.set(c.name, Math.max(best.get(c.name) ?? 0, rate(c.fn, 400)));
}
const results = contenders.map((c) => ({ name: c.name, perSecond: best.get(c.name)!, bytes: c.fn().length }));
const fastestPeer = Math.max(...results.filter((r) => !r.name.startsWith('kassa')).map((r) => r.perSecond));
console.log(`Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} x ${cpus().length}`);
console.log(`| encoder | receipts/s | x fastest peer | bytes |`);
console.log(`|---|---:|---:|---:|`);
for (const r of results) {
  console.log(
    `| ${r.name} | ${Math.round(r.perSecond).toLocaleString('en-US')} | ${(r.perSecond / fastestPeer).toFixed(1)} | ${r.bytes} |`,
  );
}
