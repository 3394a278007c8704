/**
 * Device input and output speed: keyboard-wedge and HID POS scans at 50 scans per second
 * (simulated time, so the numbers are kassa's processing only), barcode parsing, and
 * printer throughput over an in-memory transport next to what real links carry.
 * Run: node --import tsx bench/devices/index.ts
 */
import { Subject } from 'rxjs';
import { createManualClock } from '../../src/clock.js';
import {
  createHidPosScanner,
  createKeyboardWedgeScanner,
  createMemoryTransport,
  createPrinter,
  GS,
  type KeyStroke,
  parseBarcode,
  priceCheckDigit,
  withCheckDigit,
} from '../../src/devices/index.js';
import { hidPosReports } from '../../test/devices/fakes/virtual-devices.js';
import { measure, table } from '../harness.js';

const SCANS = 5000;
const codes = Array.from({ length: SCANS }, (_, i) => withCheckDigit(`400638${String(i).padStart(6, '0')}`));

interface Result {
  perScanMicros: number;
  p99Micros: number;
  maxMicros: number;
  lost: number;
}

function summarise(durations: number[], totalMs: number, lost: number): Result {
  const sorted = durations.slice().sort((a, b) => a - b);
  return {
    perScanMicros: (totalMs * 1000) / durations.length,
    p99Micros: sorted[Math.floor(sorted.length * 0.99)]!,
    maxMicros: sorted[sorted.length - 1]!,
    lost,
  };
}

async function wedge(): Promise<Result> {
  const clock = createManualClock();
  const keys$ = new Subject<KeyStroke>();
  const scanner = createKeyboardWedgeScanner({ source: { keys$ }, clock });
  let got = 0;
  scanner.scans$.subscribe(() => got++);
  // 50 scans per second: a scan every 20 ms, its keys 1 ms apart (a fast wedge)
  const strokes: KeyStroke[] = [];
  codes.forEach((code, i) => {
    const start = i * 20;
    [...code, 'Enter'].forEach((key, k) => {
      strokes.push({ key, at: start + k });
    });
  });
  const durations: number[] = [];
  const t0 = performance.now();
  let scanStart = t0;
  for (const s of strokes) {
    keys$.next(s);
    if (s.key === 'Enter') {
      const now = performance.now();
      durations.push((now - scanStart) * 1000);
      scanStart = now;
    }
  }
  return summarise(durations, performance.now() - t0, SCANS - got);
}

async function hid(): Promise<Result> {
  const clock = createManualClock();
  const { transport, device } = createMemoryTransport({ clock });
  const scanner = createHidPosScanner({ transport, clock });
  let got = 0;
  scanner.scans$.subscribe(() => got++);
  await transport.open();
  const reports = codes.map((c) => hidPosReports(c, ']E0'));
  const durations: number[] = [];
  const t0 = performance.now();
  for (const rs of reports) {
    const s = performance.now();
    for (const r of rs) device.send(r);
    durations.push((performance.now() - s) * 1000);
  }
  return summarise(durations, performance.now() - t0, SCANS - got);
}

async function printerThroughput(): Promise<number> {
  const clock = createManualClock();
  const { transport } = createMemoryTransport({ clock, chunkSize: 4096 });
  const printer = createPrinter({ transport, clock, asb: false });
  await transport.open();
  const receipt = new Uint8Array(64 * 1024).fill(0x41);
  const n = 200;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await printer.print(receipt);
  const seconds = (performance.now() - t0) / 1000;
  return (n * receipt.length) / seconds / 1_000_000;
}

// one round to warm up the JIT, then the measured round
await wedge();
await hid();
const w = await wedge();
const h = await hid();
console.log(`Scans at 50/s (simulated time), ${SCANS} scans each\n`);
console.log(
  table([
    ...[
      ['keyboard wedge', w],
      ['HID POS reports', h],
    ].map(([name, r]) => ({
      input: name as string,
      'mean µs/scan': (r as Result).perScanMicros.toFixed(1),
      'p99 µs': (r as Result).p99Micros.toFixed(1),
      'max µs': (r as Result).maxMicros.toFixed(0),
      lost: (r as Result).lost,
    })),
  ]),
);

const weighed = withCheckDigit(`281234${priceCheckDigit('00375')}00375`);
const gs1 = `]C101095011015300033103000375${'10'}LOT42${GS}17260531`;
console.log('\nBarcode parsing\n');
console.log(
  table(
    [
      measure('EAN-13', () => parseBarcode('4006381333931')),
      measure('EAN-13 with AIM ]E0', () => parseBarcode(']E04006381333931')),
      measure('variable-measure (DE, weight)', () => parseBarcode(weighed, { variableMeasure: 'DE' })),
      measure('GS1-128 (01, 3103, 10, 17)', () => parseBarcode(gs1)),
    ].map((m) => ({ case: m.name, 'µs per call': m.medianMicros.toFixed(2) })),
  ),
);

const mbps = await printerThroughput();
console.log('\nPrinter throughput (kassa over an in-memory transport) next to real links\n');
console.log(
  table([
    { link: 'kassa printer queue + chunking', 'MB/s': mbps.toFixed(1) },
    { link: 'serial 115200 baud (8N1)', 'MB/s': (115200 / 10 / 1_000_000).toFixed(4) },
    { link: 'USB full speed bulk (practical)', 'MB/s': '~1' },
    { link: 'TCP 9100 on a LAN printer (buffer bound)', 'MB/s': '~0.1-1' },
  ]),
);
