// End-to-end device scenarios over the W3C fakes. Each returns plain data for the test to
// assert on, so the same scenario runs in Node and, bundled, in headless Chromium.
import { createManualClock } from '../../../src/clock.js';
import {
  createCashDrawer,
  createHidPosScanner,
  createKeyboardTransport,
  createKeyboardWedgeScanner,
  createPoleDisplay,
  createPrinter,
  createToledoScale,
  createWebHidTransport,
  createWebSerialTransport,
  createWebUsbTransport,
  findSerialPort,
  rememberSerialPort,
  type Scan,
  switchToHidPos,
  TOLEDO_8217_LINE,
} from '../../../src/devices/index.js';
import { hidPosReports, VirtualPrinter, VirtualToledoScale } from './virtual-devices.js';
import { FakeHID, FakeHIDDevice, FakeSerial, FakeSerialPort, FakeUSB, FakeUSBDevice } from './w3c.js';

/** Yields to the event loop until `cond` holds; counts yields, not milliseconds. */
export async function until(cond: () => boolean, what: string, tries = 5000): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 0));
  }
  throw new Error(`gave up waiting for ${what}`);
}

const bytes = (s: string) => new TextEncoder().encode(s);

export async function hidScannerReplug() {
  const hid = new FakeHID();
  const clock = createManualClock();
  const first = new FakeHIDDevice(0x0c2e, 0x0b8f, 'Voyager 1400g');
  hid.plug(first);
  const transport = createWebHidTransport({
    device: first as unknown as HIDDevice,
    hid: hid as unknown as HID,
    clock,
    onOpen: async (d) => {
      await switchToHidPos(d);
    },
  });
  const scanner = createHidPosScanner({ transport, clock, id: 'hid-1' });
  const scans: Scan[] = [];
  const states: string[] = [];
  let errors = 0;
  scanner.scans$.subscribe((s) => scans.push(s));
  scanner.errors$.subscribe(() => errors++);
  transport.connection$.subscribe((s) => states.push(s));
  await transport.open();
  const modeSwitch = first.featureReports.get(0xfe);

  for (const r of hidPosReports('4006381333931', ']E0')) first.emitReport(r);
  // a long GS1 DataMatrix that spans two reports
  const long = `0104006381333931${'10'}${'L'.repeat(50)}\u001d17260531`;
  for (const r of hidPosReports(long, ']d2')) first.emitReport(r);
  // a half report and a garbage report: dropped, the driver keeps going
  first.emitReport(new Uint8Array([2, 13, 0x5d]));
  first.emitReport(new Uint8Array([2, 200, 1, 2, 3, 4, 5, 6]));
  first.emitReport(new Uint8Array([7, 1, 2, 3])); // another report id: not a scan

  // unplug in the middle of a two-report scan
  const cut = hidPosReports(`]C1${'9'.repeat(70)}`, ']C1');
  first.emitReport(cut[0]!);
  hid.unplug(first);
  await until(() => transport.connection() === 'reconnecting', 'reconnecting');
  const second = new FakeHIDDevice(0x0c2e, 0x0b8f, 'Voyager 1400g');
  hid.plug(second);
  await until(() => transport.connection() === 'connected', 'reconnected');
  // a scanner that lost power mid-scan never sends the rest: the first half must not surface
  for (const r of hidPosReports('96385074', ']E4')) second.emitReport(r);
  await until(() => scans.length >= 3, 'third scan');
  await transport.close();
  return {
    scans: scans.map((s) => ({ data: s.data, symbology: s.symbology, aim: s.aim ?? null, source: s.source })),
    states,
    errors,
    modeSwitch: modeSwitch ?? null,
    secondOpened: second.featureReports.get(0xfe) ?? null,
  };
}

function attachPrinter(port: FakeSerialPort, printer: VirtualPrinter | undefined) {
  const vp = printer ?? new VirtualPrinter((b) => port.emit(b));
  port.onHostWrite = (chunk) => vp.receive(chunk);
  return vp;
}

export async function webSerialPrinterReconnect() {
  const serial = new FakeSerial();
  const clock = createManualClock();
  const port = new FakeSerialPort({ usbVendorId: 0x0519, usbProductId: 0x0003 });
  serial.plug(port);
  const vp = new VirtualPrinter(() => undefined);
  const replyTo = { port };
  (vp as unknown as { reply: (b: Uint8Array) => void }).reply = (b) => replyTo.port.emit(b);
  attachPrinter(port, vp);

  const transport = createWebSerialTransport({
    port: port as unknown as SerialPort,
    serial: serial as unknown as Serial,
    baudRate: 38400,
    clock,
    chunkSize: 16,
  });
  const printer = createPrinter({ transport, clock });
  await transport.open();
  await until(() => vp.asb, 'ASB enabled');
  const job1 = await printer.print(bytes('RECEIPT-1\n'), { jobId: 'sale-1' });
  vp.paperNearEnd = true;
  const status = await printer.queryStatus();

  // unplug; a job queued while the printer is away waits, then prints once it is back
  serial.unplug(port);
  await until(() => transport.connection() === 'reconnecting', 'reconnecting');
  const pending = printer.print(bytes('RECEIPT-2\n'), { jobId: 'sale-2' });
  const port2 = new FakeSerialPort({ usbVendorId: 0x0519, usbProductId: 0x0003 });
  replyTo.port = port2;
  attachPrinter(port2, vp);
  serial.plug(port2);
  const job2 = await pending;
  // the app retries sale-1 after a reload-like hiccup: it must not print again
  const again = await printer.print(bytes('RECEIPT-1\n'), { jobId: 'sale-1' });
  vp.coverOpen = true;
  vp.sendAsb();
  await until(() => printer.status().coverOpen === true, 'ASB cover open');
  const states: string[] = [];
  transport.connection$.subscribe((s) => states.push(s));
  await transport.close();

  // a reload: a new transport finds the port the user granted before, by remembered criteria
  const criteria = await rememberSerialPort(serial as unknown as Serial, port2 as unknown as SerialPort);
  const found = await findSerialPort(serial as unknown as Serial, criteria);
  const t2 = createWebSerialTransport({
    port: criteria,
    serial: serial as unknown as Serial,
    baudRate: 38400,
    clock,
  });
  await t2.open();
  await t2.write(bytes('AFTER-RELOAD\n'));
  await t2.close();

  // a port without USB ids (built-in RS-232) is found again by its index
  const plainA = new FakeSerialPort({});
  const plainB = new FakeSerialPort({});
  serial.plug(plainA);
  serial.plug(plainB);
  const critB = await rememberSerialPort(serial as unknown as Serial, plainB as unknown as SerialPort);
  const foundB = await findSerialPort(serial as unknown as Serial, critB);

  return {
    printed: vp.printedText(),
    job1: job1.state,
    job2: job2.state,
    again: again.state,
    status: { paperNearEnd: status.paperNearEnd ?? null, online: status.online ?? null },
    coverOpenFromAsb: printer.status().coverOpen ?? null,
    foundSame: found === (port2 as unknown as SerialPort),
    criteriaB: critB,
    foundPlainB: foundB === (plainB as unknown as SerialPort),
    openedWith: port2.openedWith?.baudRate ?? null,
    states,
  };
}

export async function webUsbPrinterAndDrawer() {
  const usb = new FakeUSB();
  const clock = createManualClock();
  const dev = new FakeUSBDevice(0x04b8, 0x0202, 'TM-T88V', 'SN1');
  usb.plug(dev);
  const vp = new VirtualPrinter((b) => current.emit(b));
  let current = dev;
  dev.onHostWrite = (c) => vp.receive(c);
  const transport = createWebUsbTransport({
    device: dev as unknown as USBDevice,
    usb: usb as unknown as USB,
    clock,
    chunkSize: 512,
  });
  const printer = createPrinter({ transport, clock, asb: false });
  const drawer = createCashDrawer({ printer, pin: 2 });
  const drawerStates: string[] = [];
  drawer.state$.subscribe((s) => drawerStates.push(s));

  let refusedWhileClosed = '';
  try {
    await drawer.open();
  } catch (e) {
    refusedWhileClosed = (e as { code?: string }).code ?? 'no code';
  }
  await transport.open();
  const big = new Uint8Array(10_000).fill(0x41);
  await printer.print(big, { jobId: 'big' });
  const chunks = dev.transfersOut.length;
  const maxChunk = Math.max(...dev.transfersOut.map((c) => c.length));
  await drawer.open();
  vp.drawerHigh = true;
  const st = await printer.queryStatus();

  // unplug mid-job: the job is interrupted, never silently resent
  transport; // keep reference
  const dev2 = new FakeUSBDevice(0x04b8, 0x0202, 'TM-T88V', 'SN1');
  let interruptedCode = '';
  let sent = 0;
  dev.onHostWrite = (c) => {
    vp.receive(c);
    sent++;
    if (sent === 3) usb.unplug(dev);
  };
  try {
    await printer.print(new Uint8Array(4096).fill(0x42), { jobId: 'cut' });
  } catch (e) {
    interruptedCode = (e as { code?: string }).code ?? 'no code';
  }
  await until(() => transport.connection() === 'reconnecting', 'reconnecting');
  const queued = printer.print(bytes('NEXT\n'), { jobId: 'next' });
  current = dev2;
  dev2.onHostWrite = (c) => vp.receive(c);
  usb.plug(dev2);
  await queued;
  const text = vp.printedText();
  await transport.close();
  return {
    refusedWhileClosed,
    chunks,
    maxChunk,
    kick: Array.from(vp.printed.slice(10_000, 10_005)),
    drawerHigh: st.drawerSignalHigh ?? null,
    drawerStates,
    interruptedCode,
    jobs: printer.jobs$ ? (await firstJobs(printer)).map((j) => [j.id, j.state]) : [],
    bCount: [...text].filter((c) => c === 'B').length,
    endsWithNext: text.endsWith('NEXT\n'),
  };
}

function firstJobs(printer: {
  jobs$: { subscribe(fn: (v: readonly { id: string; state: string }[]) => void): { unsubscribe(): void } };
}) {
  return new Promise<readonly { id: string; state: string }[]>((resolve) => {
    const sub = printer.jobs$.subscribe((v) => {
      resolve(v);
      queueMicrotask(() => sub.unsubscribe());
    });
  });
}

/** Key events with a manual clock: `trace` is [key, ms since previous key]. */
export async function keyboardWedgeTrace(
  target: EventTarget,
  traces: Array<Array<[string, number]>>,
  makeEvent: (key: string) => Event,
) {
  const clock = createManualClock();
  const transport = createKeyboardTransport({ target, clock });
  const scanner = createKeyboardWedgeScanner({ source: transport, clock, consume: true });
  const scans: string[] = [];
  scanner.scans$.subscribe((s) => scans.push(s.data));
  await transport.open();
  const prevented: string[] = [];
  for (const trace of traces) {
    for (const [key, gap] of trace) {
      await clock.advance(gap);
      const e = makeEvent(key);
      target.dispatchEvent(e);
      if (e.defaultPrevented) prevented.push(key);
    }
    await clock.advance(1000);
  }
  await transport.close();
  return { scans, prevented };
}

/** A Toledo scale and a pole display, each on its own Web Serial port. */
export async function webSerialScaleAndDisplay() {
  const serial = new FakeSerial();
  const clock = createManualClock();
  const scalePort = new FakeSerialPort({ usbVendorId: 0x0403, usbProductId: 0x6001 });
  const displayPort = new FakeSerialPort({});
  serial.plug(scalePort);
  serial.plug(displayPort);
  const vs = new VirtualToledoScale((b) => scalePort.emit(b));
  scalePort.onHostWrite = (c) => vs.receive(c);

  const scaleLink = createWebSerialTransport({
    port: scalePort as unknown as SerialPort,
    serial: serial as unknown as Serial,
    ...TOLEDO_8217_LINE,
    clock,
  });
  const scale = createToledoScale({ transport: scaleLink, clock });
  await scaleLink.open();
  vs.grams = 375;
  const reading = await scale.read();
  vs.motion = true;
  let motionCode = '';
  try {
    await scale.read();
  } catch (e) {
    motionCode = (e as { code?: string }).code ?? '';
  }
  await scaleLink.close();

  const displayLink = createWebSerialTransport({
    port: displayPort as unknown as SerialPort,
    serial: serial as unknown as Serial,
    baudRate: 9600,
    clock,
  });
  const display = createPoleDisplay({ transport: displayLink, commandSet: 'cd5220' });
  await displayLink.open();
  await display.show(['Gouda 0.375 kg', 'TOTAL EUR 4.84']);
  await displayLink.close();
  const shown = new TextDecoder('latin1').decode(
    new Uint8Array(displayPort.written.flatMap((c) => Array.from(c))),
  );
  return {
    reading: { weight: reading.weight, stable: reading.stable },
    motionCode,
    parity: scalePort.openedWith?.parity ?? null,
    dataBits: scalePort.openedWith?.dataBits ?? null,
    shown,
  };
}
