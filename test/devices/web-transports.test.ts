import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/clock.js';
import { createWebSerialTransport } from '../../src/devices/index.js';
import {
  hidScannerReplug,
  keyboardWedgeTrace,
  until,
  webSerialPrinterReconnect,
  webSerialScaleAndDisplay,
  webUsbPrinterAndDrawer,
} from './fakes/scenarios.js';
import { HUMAN_TYPING, SCANNER_BURSTS } from './fakes/traces.js';
import { FakeSerial, FakeSerialPort } from './fakes/w3c.js';

// The same scenarios run in headless Chromium in test/devices/browser; here they run over
// the same W3C fakes in Node.

describe('WebHID HID POS scanner over the fake HIDDevice', () => {
  it('reads scans with their symbology, survives garbage and an unplug mid-scan', async () => {
    const r = await hidScannerReplug();
    expect(r.modeSwitch).toEqual([1]);
    expect(r.secondOpened).toEqual([1]); // switched into HID POS mode again after the replug
    expect(r.scans.some((s) => s.data.includes('999'))).toBe(false); // the scan cut by the unplug is dropped
    expect(r.scans.map((s) => [s.data.slice(0, 16), s.symbology])).toEqual([
      ['4006381333931', 'ean-13'],
      ['0104006381333931', 'gs1-data-matrix'],
      ['96385074', 'ean-8'],
    ]);
    expect(r.scans[1]!.data).toContain('\u001d17260531');
    expect(r.scans[1]!.data.length).toBe(16 + 2 + 50 + 1 + 8);
    expect(r.errors).toBeGreaterThanOrEqual(2);
    expect(r.states).toEqual([
      'disconnected',
      'connecting',
      'connected',
      'reconnecting',
      'connected',
      'disconnected',
    ]);
  });
});

describe('WebSerial printer over the fake SerialPort', () => {
  it('prints, reads status, reconnects, never prints a job twice, finds ports after a reload', async () => {
    const r = await webSerialPrinterReconnect();
    expect(r.printed).toBe('RECEIPT-1\nRECEIPT-2\nAFTER-RELOAD\n');
    expect([r.job1, r.job2, r.again]).toEqual(['done', 'done', 'done']);
    expect(r.status).toEqual({ paperNearEnd: true, online: true });
    expect(r.coverOpenFromAsb).toBe(true);
    expect(r.foundSame).toBe(true);
    expect(r.criteriaB).toEqual({ index: 1 });
    expect(r.foundPlainB).toBe(true);
    expect(r.openedWith).toBe(38400);
  });
});

describe('WebUSB printer and drawer over the fake USBDevice', () => {
  it('chunks jobs, kicks the drawer, reads its state, and does not resend an interrupted job', async () => {
    const r = await webUsbPrinterAndDrawer();
    expect(r.refusedWhileClosed).toBe('device.no_printer');
    expect(r.maxChunk).toBeLessThanOrEqual(512);
    expect(r.chunks).toBeGreaterThanOrEqual(20);
    expect(r.kick).toEqual([0x1b, 0x70, 0, 50, 100]);
    expect(r.drawerHigh).toBe(true);
    expect(r.drawerStates.at(-1)).toBe('closed'); // default: a low signal means open
    expect(r.interruptedCode).toBe('device.print_interrupted');
    expect(r.jobs).toEqual(
      expect.arrayContaining([
        ['cut', 'interrupted'],
        ['next', 'done'],
      ]),
    );
    expect(r.bCount).toBeLessThan(4096); // only the part sent before the unplug
    expect(r.endsWithNext).toBe(true);
  });
});

function keyEvent(key: string): Event {
  const e = new Event('keydown', { cancelable: true });
  Object.defineProperty(e, 'key', { value: key });
  return e;
}

describe('keyboard wedge over DOM-style key events', () => {
  it('finds scans in scanner bursts and nothing in human typing', async () => {
    const r = await keyboardWedgeTrace(
      new EventTarget(),
      [...SCANNER_BURSTS.map((t) => t.keys), ...HUMAN_TYPING],
      keyEvent,
    );
    expect(r.scans).toEqual(SCANNER_BURSTS.map((t) => t.expected));
    // from the third key of each burst on, and the Enter that ended it, keys were kept out of inputs
    expect(r.prevented.length).toBe(SCANNER_BURSTS.reduce((n, t) => n + t.expected.length - 2 + 1, 0));
    // a fast typist's bigrams (h, u, k under 35 ms) were left alone
    expect(r.prevented.filter((k) => 'thequick'.includes(k) && k.length === 1)).toEqual([]);
  });
});

describe('WebSerial port without USB ids', () => {
  it('reconnects to the id-less port that comes back, found by its index', async () => {
    const serial = new FakeSerial();
    const usbPort = new FakeSerialPort({ usbVendorId: 0x0403, usbProductId: 0x6001 });
    const com1 = new FakeSerialPort({});
    serial.plug(usbPort);
    serial.plug(com1);
    const transport = createWebSerialTransport({
      port: com1 as unknown as SerialPort,
      serial: serial as unknown as Serial,
      baudRate: 9600,
      clock: createManualClock(),
    });
    expect(transport.label).toBe('WebSerial (no USB ids)');
    await transport.open();
    serial.unplug(com1);
    await until(() => transport.connection() === 'reconnecting', 'reconnecting');
    const com1Again = new FakeSerialPort({});
    serial.plug(com1Again);
    await until(() => transport.connection() === 'connected', 'reconnected');
    await transport.write(new TextEncoder().encode('hi'));
    expect(com1Again.written.map((c) => new TextDecoder().decode(c))).toEqual(['hi']);
    expect(usbPort.written).toEqual([]);
    await transport.close();
  });
});

describe('permission helpers', () => {
  it('fail clearly without the API, pass filters per class, and list granted devices', async () => {
    const { requestHidScanner, requestUsbPrinter, requestSerialPort, grantedDevices, HID_SCANNER_FILTERS } =
      await import('../../src/devices/index.js');
    const { FakeHID, FakeHIDDevice } = await import('./fakes/w3c.js');
    await expect(requestHidScanner(undefined)).rejects.toMatchObject({ code: 'device.not_supported' });
    await expect(requestSerialPort({}, undefined)).rejects.toMatchObject({ code: 'device.not_supported' });
    let filters: unknown;
    const usb = {
      requestDevice: async (o: { filters: unknown }) => {
        filters = o.filters;
        throw Object.assign(new Error('No device selected.'), { name: 'NotFoundError' });
      },
    } as unknown as USB;
    expect(await requestUsbPrinter(usb)).toBeUndefined(); // the user closed the chooser
    expect(filters).toEqual(expect.arrayContaining([{ classCode: 7 }]));
    expect(HID_SCANNER_FILTERS[0]).toEqual({ usagePage: 0x8c });
    const hid = new FakeHID();
    hid.plug(new FakeHIDDevice(0x1234, 1, 'HID POS scanner'));
    hid.plug(new FakeHIDDevice(0x1234, 2, 'a mouse', [{ usagePage: 0x01, usage: 0x02 }]));
    const granted = await grantedDevices('scanner', { hid: hid as unknown as HID });
    expect(granted.map((d) => (d as HIDDevice).productName)).toEqual(['HID POS scanner']);
  });
});

describe('Toledo scale and pole display over Web Serial fakes', () => {
  it('opens the scale port at 7E1, weighs, refuses motion; the display gets its text', async () => {
    const r = await webSerialScaleAndDisplay();
    expect(r.reading).toEqual({ weight: '0.375', stable: true });
    expect(r.motionCode).toBe('device.unstable_weight');
    expect([r.dataBits, r.parity]).toEqual([7, 'even']);
    expect(r.shown).toContain('Gouda 0.375 kg      ');
    expect(r.shown).toContain('TOTAL EUR 4.84');
  });
});
