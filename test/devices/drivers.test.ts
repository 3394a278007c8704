import fc from 'fast-check';
import { BehaviorSubject, Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/clock.js';
import {
  type CartLike,
  cartDisplayLines,
  createCashDrawer,
  createCasScale,
  createHidPosScanner,
  createKeyboardWedgeScanner,
  createMemoryTransport,
  createPoleDisplay,
  createPrinter,
  createScannerHub,
  createSerialScanner,
  createStatusDecoder,
  createToledoScale,
  customerScreenMessages,
  decodeAsb,
  decodeRealtimeStatus,
  type KeyStroke,
  parseCasLine,
  parseToledoFrame,
  publishCartToScreen,
  type ScaleReading,
  type Scan,
} from '../../src/devices/index.js';
import { until } from './fakes/scenarios.js';
import { HUMAN_TYPING, SCANNER_BURSTS } from './fakes/traces.js';
import { hidPosReports, VirtualPrinter, VirtualToledoScale } from './fakes/virtual-devices.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('transport core (memory transport)', () => {
  it('chunks writes, keeps them in order, and reports connection states', async () => {
    const clock = createManualClock();
    const { transport, device } = createMemoryTransport({ chunkSize: 3, clock });
    const states: string[] = [];
    transport.connection$.subscribe((s) => states.push(s));
    await transport.open();
    await Promise.all([transport.write(enc('abcdefg')), transport.write(enc('XYZ'))]);
    expect(device.writtenBytes()).toEqual(enc('abcdefgXYZ'));
    expect(states).toEqual(['disconnected', 'connecting', 'connected']);
  });

  it('awaits the device between chunks (backpressure)', async () => {
    const { transport, device } = createMemoryTransport({ chunkSize: 2 });
    await transport.open();
    device.holdWrites(true);
    let done = false;
    const w = transport.write(enc('abcdef')).then(() => {
      done = true;
    });
    await until(() => device.releaseWrite(), 'first chunk held');
    await new Promise((r) => setTimeout(r, 0));
    expect(done).toBe(false);
    expect(device.writtenBytes()).toEqual(enc('ab'));
    device.holdWrites(false);
    await until(() => device.releaseWrite() || done, 'rest');
    await w;
    expect(device.writtenBytes()).toEqual(enc('abcdef'));
  });

  it('rejects writes while disconnected and reconnects with back-off', async () => {
    const clock = createManualClock();
    const { transport, device } = createMemoryTransport({ clock, reconnect: { delays: [100, 1000] } });
    await expect(transport.write(enc('x'))).rejects.toMatchObject({ code: 'device.disconnected' });
    await transport.open();
    device.unplug();
    expect(transport.connection()).toBe('reconnecting');
    await expect(transport.write(enc('x'))).rejects.toMatchObject({ code: 'device.disconnected' });
    await clock.advance(100); // first retry fails: still unplugged
    expect(transport.connection()).toBe('reconnecting');
    // plugged back without a connect event the timer finds it
    (device as unknown as { plug(): void }).plug;
    device.plug();
    await until(() => transport.connection() === 'connected', 'reconnect');
    await transport.write(enc('y'));
    expect(device.writtenBytes()).toEqual(enc('y'));
  });

  it('stays disconnected when reconnect is off and when closed', async () => {
    const { transport, device } = createMemoryTransport({ reconnect: false });
    await transport.open();
    device.unplug();
    expect(transport.connection()).toBe('disconnected');
    device.plug();
    await new Promise((r) => setTimeout(r, 0));
    expect(transport.connection()).toBe('disconnected');
    const b = createMemoryTransport();
    await b.transport.open();
    await b.transport.close();
    b.device.unplug();
    b.device.plug();
    expect(b.transport.connection()).toBe('disconnected');
  });

  it('fails open clearly when the device is not there', async () => {
    const { transport, device } = createMemoryTransport();
    device.unplug();
    await expect(transport.open()).rejects.toMatchObject({ code: 'device.open_failed' });
    expect(transport.connection()).toBe('disconnected');
  });
});

describe('serial scanner', () => {
  it('frames by suffix, strips a prefix, falls back to the idle timeout', async () => {
    const clock = createManualClock();
    const { transport, device } = createMemoryTransport({ clock });
    const scanner = createSerialScanner({ transport, clock, prefix: '@', idleTimeoutMs: 50 });
    const scans: Scan[] = [];
    scanner.scans$.subscribe((s) => scans.push(s));
    await transport.open();
    device.send('@40063813');
    device.send('33931\r\n]E496385074\r');
    device.send('\u0000\u0007noise-then-code-123'); // no suffix: idle timeout
    await clock.advance(49);
    expect(scans).toHaveLength(2);
    await clock.advance(1);
    expect(scans.map((s) => [s.data, s.symbology])).toEqual([
      ['4006381333931', 'unknown'],
      ['96385074', 'ean-8'],
      ['noise-then-code-123', 'unknown'],
    ]);
  });

  it('drops a partial scan when the port goes away', async () => {
    const clock = createManualClock();
    const { transport, device } = createMemoryTransport({ clock });
    const scanner = createSerialScanner({ transport, clock });
    const scans: Scan[] = [];
    scanner.scans$.subscribe((s) => scans.push(s));
    await transport.open();
    device.send('400638');
    device.unplug();
    device.plug();
    await until(() => transport.connection() === 'connected', 'reconnect');
    device.send('96385074\r');
    expect(scans.map((s) => s.data)).toEqual(['96385074']);
  });

  it('never throws on random bytes (property)', async () => {
    const clock = createManualClock();
    const { transport, device } = createMemoryTransport({ clock });
    const scanner = createSerialScanner({ transport, clock, maxLength: 64 });
    let n = 0;
    scanner.scans$.subscribe(() => n++);
    await transport.open();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        device.send(b);
      }),
    );
    expect(n).toBeGreaterThanOrEqual(0);
  });
});

describe('HID POS scanner', () => {
  it('decodes reports, keeps the AIM symbology and reports half reports', async () => {
    const clock = createManualClock();
    const { transport, device } = createMemoryTransport({ clock });
    const scanner = createHidPosScanner({ transport, clock });
    const scans: Scan[] = [];
    const errors: string[] = [];
    scanner.scans$.subscribe((s) => scans.push(s));
    scanner.errors$.subscribe((e) => errors.push(e.code));
    await transport.open();
    for (const r of hidPosReports('4006381333931', ']E0')) device.send(r);
    device.send(new Uint8Array([2, 1]));
    for (const r of hidPosReports('0104006381333931', ']C1')) device.send(r);
    for (const r of hidPosReports('hello', '\u0000\u0000\u0000')) device.send(r);
    expect(scans.map((s) => [s.data, s.symbology, s.aim])).toEqual([
      ['4006381333931', 'ean-13', ']E0'],
      ['0104006381333931', 'gs1-128', ']C1'],
      ['hello', 'unknown', undefined],
    ]);
    expect(errors).toEqual(['device.invalid_input']);
  });

  it('drops a multi-report scan whose continuation never comes', async () => {
    const clock = createManualClock();
    const { transport, device } = createMemoryTransport({ clock });
    const scanner = createHidPosScanner({ transport, clock, partialTimeoutMs: 300 });
    const scans: Scan[] = [];
    scanner.scans$.subscribe((s) => scans.push(s));
    await transport.open();
    const parts = hidPosReports('7'.repeat(100));
    device.send(parts[0]!);
    await clock.advance(300);
    for (const r of hidPosReports('96385074', ']E4')) device.send(r);
    expect(scans.map((s) => s.data)).toEqual(['96385074']);
  });
});

describe('keyboard wedge with recorded traces', () => {
  function replay(
    traces: Array<Array<[string, number]>>,
    opts: Parameters<typeof createKeyboardWedgeScanner>[0] extends infer O ? Partial<O> : never = {},
  ) {
    const clock = createManualClock();
    const keys$ = new Subject<KeyStroke>();
    const scanner = createKeyboardWedgeScanner({ source: { keys$ }, clock, ...opts });
    const scans: string[] = [];
    scanner.scans$.subscribe((s) => scans.push(s.data));
    let t = clock.now();
    for (const trace of traces) {
      for (const [key, gap] of trace) {
        t += gap;
        keys$.next({ key, at: t });
      }
      t += 1000;
    }
    return scans;
  }

  it('recognises every scanner burst and no human typing', () => {
    expect(replay(SCANNER_BURSTS.map((b) => b.keys))).toEqual(SCANNER_BURSTS.map((b) => b.expected));
    expect(replay(HUMAN_TYPING)).toEqual([]);
  });

  it('finds a scan that starts right after a person typed', () => {
    const human = HUMAN_TYPING[0]!.slice(0, -1); // typed digits, no Enter
    const burstKeys = SCANNER_BURSTS[0]!.keys.map(([k, g], i) => [k, i === 0 ? 200 : g] as [string, number]);
    expect(replay([[...human, ...burstKeys]])).toEqual([SCANNER_BURSTS[0]!.expected]);
  });

  it('honours thresholds, prefix and the idle fallback', () => {
    const slowScanner = SCANNER_BURSTS[1]!.keys; // 9-12 ms per key
    expect(replay([slowScanner], { maxInterKeyMs: 8 })).toEqual([]);
    expect(replay([slowScanner], { maxInterKeyMs: 15 })).toEqual(['96385074']);
    const withPrefix: Array<[string, number]> = [
      ['§', 0],
      ...SCANNER_BURSTS[0]!.keys.map(([k, g]) => [k, g || 3] as [string, number]),
    ];
    expect(replay([withPrefix], { prefix: '§' })).toEqual(['4006381333931']);
    expect(replay([SCANNER_BURSTS[0]!.keys], { prefix: '§' })).toEqual([]);
    const noSuffix = SCANNER_BURSTS[0]!.keys.slice(0, -1);
    expect(replay([noSuffix])).toEqual([]);
  });

  it('idle fallback emits a suffix-less burst through the clock', async () => {
    const clock = createManualClock();
    const keys$ = new Subject<KeyStroke>();
    const scanner = createKeyboardWedgeScanner({ source: { keys$ }, clock, idleTimeoutMs: 60 });
    const scans: string[] = [];
    scanner.scans$.subscribe((s) => scans.push(s.data));
    for (const ch of '96385074') {
      await clock.advance(5);
      keys$.next({ key: ch, at: clock.now() });
    }
    await clock.advance(59);
    expect(scans).toEqual([]);
    await clock.advance(1);
    expect(scans).toEqual(['96385074']);
  });
});

describe('scanner hub', () => {
  it('merges several scanners, each scan tagged with its source', async () => {
    const clock = createManualClock();
    const a = createMemoryTransport({ clock, label: 'a' });
    const b = createMemoryTransport({ clock, label: 'b' });
    const hub = createScannerHub([
      createSerialScanner({ transport: a.transport, clock, id: 'front' }),
      createHidPosScanner({ transport: b.transport, clock, id: 'hand' }),
    ]);
    const scans: Scan[] = [];
    hub.scans$.subscribe((s) => scans.push(s));
    await a.transport.open();
    await b.transport.open();
    a.device.send('111\r');
    for (const r of hidPosReports('222', ']E0')) b.device.send(r);
    a.device.send('333\r');
    expect(scans.map((s) => [s.source, s.data])).toEqual([
      ['front', '111'],
      ['hand', '222'],
      ['front', '333'],
    ]);
  });
});

describe('printer status decoding', () => {
  it('decodes DLE EOT replies and rejects bytes without the fixed bits', () => {
    expect(decodeRealtimeStatus(1, 0x16)).toMatchObject({ drawerSignalHigh: true, online: true });
    expect(decodeRealtimeStatus(1, 0x1e)).toMatchObject({ online: false });
    expect(decodeRealtimeStatus(2, 0x32)).toMatchObject({ paperOut: true, coverOpen: false });
    expect(decodeRealtimeStatus(2, 0x16)).toMatchObject({ coverOpen: true });
    expect(decodeRealtimeStatus(3, 0x1a)).toMatchObject({ autocutterError: true });
    expect(decodeRealtimeStatus(4, 0x1e)).toMatchObject({ paperNearEnd: true, paperOut: false });
    expect(decodeRealtimeStatus(4, 0x72)).toMatchObject({ paperOut: true });
    expect(decodeRealtimeStatus(1, 0x00)).toBeUndefined();
    expect(decodeRealtimeStatus(1, 0x92)).toBeUndefined();
  });

  it('decodes ASB blocks', () => {
    expect(decodeAsb([0x30, 0x00, 0x0c, 0x00])).toMatchObject({
      coverOpen: true,
      paperOut: true,
      online: true,
    });
    expect(decodeAsb([0x18, 0x08, 0x03, 0x00])).toMatchObject({
      online: false,
      autocutterError: true,
      paperNearEnd: true,
      error: true,
    });
    expect(decodeAsb([0x12, 0, 0, 0])).toBeUndefined();
  });

  it('reads a stream with split replies, ASB and garbage, in any chunking (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 200 }), { maxLength: 10 }), (cuts) => {
        const stream = [0xff, 0x16, 0x10, 0x00, 0x0c, 0x00, 0x81, 0x1e];
        const d = createStatusDecoder();
        d.expect(1);
        d.expect(4);
        const events = [];
        let i = 0;
        let k = 0;
        while (i < stream.length) {
          const size = ((cuts[k++ % Math.max(1, cuts.length)] ?? 3) % 4) + 1;
          const part = stream.slice(i, i + size);
          i += part.length;
          events.push(...d.push(part));
        }
        expect(events.map((e) => e.source)).toEqual([1, 'asb', 4]);
        expect(events[1]!.status.paperOut).toBe(true);
        expect(events[2]!.status.paperNearEnd).toBe(true);
        expect(d.skipped).toBe(2);
      }),
    );
  });

  it('never throws on garbage (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.array(fc.constantFrom(1, 2, 3, 4) as fc.Arbitrary<1 | 2 | 3 | 4>, { maxLength: 4 }),
        (bytes, asks) => {
          const d = createStatusDecoder();
          for (const n of asks) d.expect(n);
          const events = d.push(bytes);
          expect(events.filter((e) => e.source !== 'asb').length).toBeLessThanOrEqual(asks.length);
        },
      ),
    );
  });
});

describe('printer over a memory transport with a virtual printer', () => {
  async function setup() {
    const clock = createManualClock();
    const { transport, device } = createMemoryTransport({ clock, chunkSize: 8 });
    const vp = new VirtualPrinter((b) => device.send(b));
    device.written$.subscribe((c) => vp.receive(c));
    const printer = createPrinter({ transport, clock });
    return { clock, transport, device, vp, printer };
  }

  it('queues jobs while disconnected and prints them once, in order', async () => {
    const { transport, device, vp, printer } = await setup();
    const p1 = printer.print(enc('ONE\n'), { jobId: 'a' });
    const p2 = printer.print(enc('TWO\n'), { jobId: 'b' });
    const dup = printer.print(enc('ONE\n'), { jobId: 'a' });
    await transport.open();
    await Promise.all([p1, p2, dup]);
    expect(vp.printedText()).toBe('ONE\nTWO\n');
    device.unplug();
    device.plug();
    await until(() => transport.connection() === 'connected', 'reconnect');
    await printer.print(enc('ONE\n'), { jobId: 'a' });
    expect(vp.printedText()).toBe('ONE\nTWO\n');
  });

  it('interrupts a job cut by an unplug and prints it again only when asked', async () => {
    const { transport, device, vp, printer } = await setup();
    await transport.open();
    device.holdWrites(true);
    const job = printer.print(enc('0123456789ABCDEFGHIJ'), { jobId: 'cut' });
    await until(() => device.releaseWrite(), 'first chunk');
    await until(() => device.releaseWrite(), 'second chunk');
    await new Promise((r) => setTimeout(r, 0));
    device.unplug();
    await expect(job).rejects.toMatchObject({
      code: 'device.print_interrupted',
      details: { jobId: 'cut', written: 16 },
    });
    device.holdWrites(false);
    device.plug();
    await until(() => transport.connection() === 'connected', 'reconnect');
    await new Promise((r) => setTimeout(r, 0));
    expect(vp.printedText()).toBe('0123456789ABCDEF');
    await printer.reprint('cut');
    expect(vp.printedText()).toBe('0123456789ABCDEF0123456789ABCDEFGHIJ');
  });

  it('times out a status query through the clock', async () => {
    const clock = createManualClock();
    const { transport } = createMemoryTransport({ clock });
    const printer = createPrinter({ transport, clock, statusTimeoutMs: 500, asb: false });
    await transport.open();
    const q = printer.queryStatus();
    const caught = q.catch((e) => e);
    // the timer starts once the request is written, a microtask later
    await new Promise((r) => setTimeout(r, 0));
    await clock.advance(500);
    expect(await caught).toMatchObject({ code: 'device.timeout' });
  });

  it('rejects bad input and cancels queued jobs', async () => {
    const { printer } = await setup();
    await expect(printer.print(new Uint8Array())).rejects.toMatchObject({ code: 'device.invalid_input' });
    await expect(printer.print('text' as unknown as Uint8Array)).rejects.toMatchObject({
      code: 'device.invalid_input',
    });
    const p = printer.print(enc('x'), { jobId: 'c' });
    expect(printer.cancel('c')).toBe(true);
    await expect(p).rejects.toMatchObject({ code: 'device.closed' });
  });

  it('drawer: kick bytes, state from status, clear error without a printer', async () => {
    const { transport, vp, printer } = await setup();
    const drawer = createCashDrawer({ printer, pin: 5, onMs: 50, offMs: 500, openWhen: 'high' });
    const states: string[] = [];
    drawer.state$.subscribe((s) => states.push(s));
    await expect(drawer.open()).rejects.toMatchObject({ code: 'device.no_printer' });
    await transport.open();
    await drawer.open();
    expect(vp.printed).toEqual([0x1b, 0x70, 1, 25, 250]);
    vp.drawerHigh = true;
    vp.sendAsb();
    await until(() => states.at(-1) === 'open', 'drawer open');
    vp.drawerHigh = false;
    vp.sendAsb();
    await until(() => states.at(-1) === 'closed', 'drawer closed');
    expect(() => createCashDrawer({ printer, pin: 3 as 2 })).toThrow(/pin/);
  });
});

describe('customer display', () => {
  const cartState = {
    currency: 'EUR',
    lines: [
      { sku: 'pen', name: 'Pen', quantity: '1', total: '1.99' },
      { sku: 'cheese', name: 'Gouda jong belegen', quantity: '0.375', total: '4.84' },
    ],
    totals: { total: '6.83' },
  };

  it('renders the last item and the total on 20 columns', () => {
    expect(cartDisplayLines(cartState)).toEqual(['0.375 Gouda jon 4.84', 'TOTAL EUR       6.83']);
    expect(cartDisplayLines({ ...cartState, lines: [] })).toEqual(['Welcome', '']);
  });

  it('follows a cart state$ with Epson and CD5220 commands', async () => {
    for (const [set, cursor] of [
      ['epson', [0x1f, 0x24, 1, 2]],
      ['cd5220', [0x1b, 0x6c, 1, 2]],
    ] as const) {
      const { transport, device } = createMemoryTransport();
      await transport.open();
      const display = createPoleDisplay({ transport, commandSet: set });
      const state$ = new BehaviorSubject(cartState);
      const stop = display.follow({ state$ } as CartLike);
      await until(() => device.writtenBytes().length > 44, 'display written');
      const bytes = Array.from(device.writtenBytes());
      const text = String.fromCharCode(...bytes);
      expect(text).toContain('0.375 Gouda jon 4.84');
      expect(text).toContain('TOTAL EUR       6.83');
      expect(bytes.join(',')).toContain(cursor.join(','));
      expect(display.shown()).toEqual(cartDisplayLines(cartState));
      stop();
    }
  });

  it('folds accents and sets brightness', async () => {
    const { transport, device } = createMemoryTransport();
    await transport.open();
    const display = createPoleDisplay({ transport, commandSet: 'cd5220' });
    await display.show(['Crème brûlée 4,50 €', '']);
    await display.brightness(2);
    const text = String.fromCharCode(...device.writtenBytes());
    expect(text).toContain('Creme brulee 4,50 EU');
    expect(Array.from(device.writtenBytes()).slice(-3)).toEqual([0x1b, 0x2a, 2]);
    await expect(display.show('x' as unknown as string[])).rejects.toMatchObject({
      code: 'device.invalid_input',
    });
  });

  it('publishes the cart to a second screen over BroadcastChannel', async () => {
    const state$ = new BehaviorSubject(cartState);
    const got: unknown[] = [];
    const sub = customerScreenMessages({ channel: 'test-screen' }).subscribe((m) => got.push(m));
    const stop = publishCartToScreen({ state$ } as CartLike, { channel: 'test-screen' });
    await until(() => got.length === 1, 'message');
    state$.next({ ...cartState, totals: { total: '7.00' } });
    await until(() => got.length === 2, 'second message');
    expect(got[1]).toMatchObject({
      type: 'cart',
      total: '7.00',
      lines: [{ name: 'Pen' }, { name: 'Gouda jong belegen' }],
    });
    stop();
    sub.unsubscribe();
  });
});

describe('scales', () => {
  it('parses Toledo frames and status bytes', () => {
    expect(parseToledoFrame('01.234')).toEqual({ kind: 'weight', weight: '1.234' });
    expect(parseToledoFrame('00375')).toEqual({ kind: 'weight', weight: '0.375' });
    expect(parseToledoFrame('?A')).toMatchObject({ kind: 'status', status: { motion: true } });
    expect(parseToledoFrame('?B')).toMatchObject({
      kind: 'status',
      status: { overCapacity: true, motion: false },
    });
    expect(parseToledoFrame('?\u0001')).toEqual({ kind: 'garbage' });
    expect(parseToledoFrame('12a')).toEqual({ kind: 'garbage' });
  });

  it('talks Toledo 8217 to a virtual scale: W, motion, Z, T', async () => {
    const clock = createManualClock();
    const { transport, device } = createMemoryTransport({ clock });
    const vs = new VirtualToledoScale((b) => device.send(b));
    device.written$.subscribe((c) => vs.receive(c));
    const scale = createToledoScale({ transport, clock });
    const weights: ScaleReading[] = [];
    scale.weight$.subscribe((r) => weights.push(r));
    await transport.open();
    vs.grams = 375;
    expect(await scale.read()).toMatchObject({ weight: '0.375', unit: 'kg', stable: true });
    vs.motion = true;
    await expect(scale.read()).rejects.toMatchObject({ code: 'device.unstable_weight' });
    vs.motion = false;
    vs.grams = 1250;
    expect((await scale.read()).weight).toBe('1.250');
    expect(await scale.tare()).toMatchObject({ net: true });
    expect((await scale.read()).weight).toBe('0.000');
    expect(weights.map((w) => w.weight)).toEqual(['0.375', '1.250', '0.000']);
  });

  it('Toledo: stableWeight waits through motion for a positive weight; timeouts use the clock', async () => {
    const clock = createManualClock();
    const { transport, device } = createMemoryTransport({ clock });
    const vs = new VirtualToledoScale((b) => device.send(b));
    device.written$.subscribe((c) => vs.receive(c));
    const scale = createToledoScale({ transport, clock });
    await transport.open();
    vs.motion = true;
    const p = scale.stableWeight({ timeoutMs: 5000 });
    await clock.advance(400);
    vs.motion = false;
    vs.grams = 500;
    await clock.advance(400);
    expect((await p).weight).toBe('0.500');
    // a silent scale: read times out on the clock
    const silent = createMemoryTransport({ clock });
    const s2 = createToledoScale({ transport: silent.transport, clock, replyTimeoutMs: 300 });
    await silent.transport.open();
    const r = s2.read().catch((e) => e);
    await clock.advance(300);
    expect(await r).toMatchObject({ code: 'device.timeout' });
  });

  it('CAS stream: stable readings only, garbage ignored', async () => {
    expect(parseCasLine('ST,GS,+  1.234kg')).toMatchObject({ stable: true, weight: '1.234', unit: 'kg' });
    expect(parseCasLine('US,GS,+  1.230kg')).toMatchObject({ stable: false });
    expect(parseCasLine('OL,GS,')).toMatchObject({ stable: false, status: { overCapacity: true } });
    expect(parseCasLine('ST,NT,-  0.010kg')).toMatchObject({
      weight: '-0.010',
      status: { net: true, underZero: true },
    });
    expect(parseCasLine('hello')).toBeUndefined();
    const clock = createManualClock();
    const { transport, device } = createMemoryTransport({ clock });
    const scale = createCasScale({ transport, clock });
    const weights: string[] = [];
    scale.weight$.subscribe((r) => weights.push(r.weight));
    await transport.open();
    const next = scale.stableWeight();
    device.send('US,GS,+  0.370kg\r\nST,GS,+  0.000kg\r\n\u00ff\u0013garbage\r\n');
    device.send('ST,GS,+  0.37');
    device.send('5kg\r\nST,GS,+  0.375kg\r\nUS,GS,+  0.380kg\r\n');
    expect((await next).weight).toBe('0.375');
    expect(weights).toEqual(['0.000', '0.375']);
    await expect(scale.zero()).rejects.toMatchObject({ code: 'device.not_supported' });
  });
});

describe('factory options are validated', () => {
  it('throws device.invalid_input naming the bad field, and creates nothing', async () => {
    const { transport } = createMemoryTransport();
    const bad: Array<[() => unknown, string]> = [
      [() => createSerialScanner({ transport, idleTimeoutMs: -1 }), 'idleTimeoutMs'],
      [() => createSerialScanner({ transport: {} as never }), 'transport'],
      [() => createHidPosScanner({ transport, reportId: 300 }), 'reportId'],
      [() => createKeyboardWedgeScanner({ source: {} as never }), 'source'],
      [() => createKeyboardWedgeScanner({ source: { keys$: new Subject() }, minLength: 0 }), 'minLength'],
      [() => createPrinter({ transport, statusTimeoutMs: 1.5 }), 'statusTimeoutMs'],
      [() => createPoleDisplay({ transport, width: 0 }), 'width'],
      [() => createPoleDisplay({ transport, commandSet: 'vt100' as 'epson' }), 'commandSet'],
      [() => createToledoScale({ transport, unit: 'stone' as 'kg' }), 'unit'],
      [() => createCasScale({ transport, clock: {} as never }), 'clock'],
    ];
    for (const [make, field] of bad) {
      let err: unknown;
      try {
        make();
      } catch (e) {
        err = e;
      }
      expect(err, field).toMatchObject({ code: 'device.invalid_input', details: { path: [field] } });
    }
  });
});
