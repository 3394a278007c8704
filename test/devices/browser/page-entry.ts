// Bundled by esbuild into the test page: the kassa device code, the W3C fakes and the
// scenarios, exposed on window for page.evaluate.
import { BehaviorSubject } from 'rxjs';
import { createManualClock } from '../../../src/clock.js';
import {
  type CartLike,
  createKeyboardTransport,
  createKeyboardWedgeScanner,
  createWebSerialTransport,
  customerScreenMessages,
  parseBarcode,
  priceCheckDigit,
  publishCartToScreen,
  requestHidScanner,
  requestSerialPort,
  requestUsbPrinter,
  toAddCommand,
  withCheckDigit,
} from '../../../src/devices/index.js';
import {
  hidScannerReplug,
  keyboardWedgeTrace,
  until,
  webSerialPrinterReconnect,
  webSerialScaleAndDisplay,
  webUsbPrinterAndDrawer,
} from '../fakes/scenarios.js';
import { HUMAN_TYPING, SCANNER_BURSTS } from '../fakes/traces.js';
import { FakeSerial, FakeSerialPort } from '../fakes/w3c.js';

const keyEvent = (key: string) => new KeyboardEvent('keydown', { key, cancelable: true, bubbles: true });

// The browser's own WebHID / WebUSB / Web Serial objects, not the fakes a scenario injects.
const realApi = (key: 'hid' | 'usb' | 'serial') =>
  Object.getOwnPropertyDescriptor(Navigator.prototype, key)?.get?.call(navigator);

const api = {
  /** Calls each chooser outside a user gesture and reports what came out. */
  permissionErrors: async () => {
    const calls: Record<string, () => Promise<unknown>> = {
      hid: () => requestHidScanner(realApi('hid')),
      usb: () => requestUsbPrinter(realApi('usb')),
      serial: () => requestSerialPort({}, realApi('serial')),
    };
    const out: Record<string, unknown> = {};
    for (const [name, call] of Object.entries(calls)) {
      try {
        await call();
        out[name] = { resolved: true };
      } catch (e) {
        const err = e as { name?: string; code?: unknown; cause?: { name?: string } };
        out[name] = { errorName: err.name, code: err.code, causeName: err.cause?.name };
      }
    }
    return out;
  },
  hidScannerReplug,
  webSerialPrinterReconnect,
  webUsbPrinterAndDrawer,
  webSerialScaleAndDisplay,
  keyboardBursts: () =>
    keyboardWedgeTrace(window, [...SCANNER_BURSTS.map((b) => b.keys), ...HUMAN_TYPING], keyEvent),
  expectedBursts: () => SCANNER_BURSTS.map((b) => b.expected),

  /** Scanner keys dispatched at the body with nothing focused still make a scan. */
  async unfocusedScan() {
    (document.activeElement as HTMLElement | null)?.blur();
    const clock = createManualClock();
    const transport = createKeyboardTransport({ clock });
    const scanner = createKeyboardWedgeScanner({ source: transport, clock });
    const scans: string[] = [];
    scanner.scans$.subscribe((s) => scans.push(s.data));
    await transport.open();
    for (const [key, gap] of SCANNER_BURSTS[0]!.keys) {
      await clock.advance(gap);
      document.body.dispatchEvent(keyEvent(key));
    }
    await transport.close();
    return scans;
  },

  /** Listens with the system clock while the test types with the real (CDP) keyboard. */
  async startRealKeyboard() {
    const transport = createKeyboardTransport();
    const scanner = createKeyboardWedgeScanner({ source: transport });
    const w = window as unknown as { realScans: string[]; stopReal: () => Promise<void> };
    w.realScans = [];
    scanner.scans$.subscribe((s) => w.realScans.push(s.data));
    await transport.open();
    w.stopReal = () => transport.close();
  },

  /** The default `navigator.serial` path: kassa finds the injected fake without being handed it. */
  async globalSerial() {
    const serial = new FakeSerial();
    Object.defineProperty(navigator, 'serial', { value: serial, configurable: true });
    const port = new FakeSerialPort({ usbVendorId: 0x0403, usbProductId: 0x6001 });
    serial.plug(port);
    const t = createWebSerialTransport({
      port: { usbVendorId: 0x0403, usbProductId: 0x6001 },
      baudRate: 9600,
    });
    await t.open();
    await t.write(new TextEncoder().encode('hello'));
    await t.close();
    return new TextDecoder().decode(port.written[0]);
  },

  /** A weighed item from a scan, in the browser. */
  weighedLine() {
    const code = withCheckDigit(`281234${priceCheckDigit('00375')}00375`);
    const parsed = parseBarcode(code, { variableMeasure: 'DE' });
    return {
      parsed,
      result: toAddCommand(parsed, {
        lookupByGtin: () => ({ sku: 'cheese', unitPrice: '12.90', unit: 'kg' }),
      }),
    };
  },

  async listenScreen() {
    const w = window as unknown as { screenMessages: unknown[] };
    w.screenMessages = [];
    customerScreenMessages({ channel: 'kassa-test' }).subscribe((m) => w.screenMessages.push(m));
  },
  async publishCart() {
    const state$ = new BehaviorSubject({
      currency: 'EUR',
      lines: [{ sku: 'pen', name: 'Pen', quantity: '2', total: '3.98' }],
      totals: { total: '3.98' },
    });
    const stop = publishCartToScreen({ state$ } as CartLike, { channel: 'kassa-test' });
    return () => stop();
  },
  until,
};

(window as unknown as { kassaTest: typeof api }).kassaTest = api;

// page.evaluate runs with a user gesture, so the no-gesture case runs at load instead, where
// the page has had no activation at all.
if (location.search.includes('probe')) {
  void api.permissionErrors().then((r) => {
    (window as unknown as { probeResult: unknown }).probeResult = r;
  });
}
