import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCashDrawer, createPrinter, createToledoScale } from '../../src/devices/index.js';
import { createSerialPortTransport, createTcpTransport } from '../../src/devices/node.js';
import { until } from './fakes/scenarios.js';
import { VirtualPrinter, VirtualToledoScale } from './fakes/virtual-devices.js';

const enc = (s: string) => new TextEncoder().encode(s);
const dir = mkdtempSync(join(tmpdir(), 'kassa-pty-'));
const children: ChildProcess[] = [];

/** Starts a socat pty pair and resolves once both links exist. */
async function ptyPair(name: string): Promise<{ host: string; device: string; proc: ChildProcess }> {
  const host = join(dir, `${name}-host`);
  const device = join(dir, `${name}-dev`);
  const proc = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${host}`, `pty,raw,echo=0,link=${device}`], {
    stdio: 'ignore',
  });
  children.push(proc);
  for (let i = 0; i < 400 && !(existsSync(host) && existsSync(device)); i++)
    await new Promise((r) => setTimeout(r, 25));
  if (!existsSync(host) || !existsSync(device)) throw new Error('socat did not create the pty pair');
  return { host, device, proc };
}

function openDevicePort(path: string, baudRate: number): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const p = new SerialPort({ path, baudRate, autoOpen: false });
    p.open((err) => (err ? reject(err) : resolve(p)));
  });
}

function stop(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      resolve();
      return;
    }
    proc.once('exit', () => resolve());
    proc.kill('SIGTERM');
  });
}

afterAll(async () => {
  for (const c of children) await stop(c);
  rmSync(dir, { recursive: true, force: true });
});

describe('Node serial transport over a socat pty pair', () => {
  it('prints to a virtual printer, reads its status, kicks the drawer, and survives a replug', async () => {
    let pair = await ptyPair('printer');
    let devPort = await openDevicePort(pair.device, 19200);
    const vp = new VirtualPrinter((b) => devPort.write(Buffer.from(b)));
    devPort.on('data', (b: Buffer) => vp.receive(b));

    const transport = createSerialPortTransport({
      path: pair.host,
      baudRate: 19200,
      reconnect: { delays: [50, 100, 200] },
    });
    const printer = createPrinter({ transport, statusTimeoutMs: 5000 });
    const drawer = createCashDrawer({ printer });
    await transport.open();
    const receipt = `${'Line of a receipt\n'.repeat(200)}TOTAL 12.10\n`;
    await printer.print(enc(receipt), { jobId: 'r1' });
    vp.paperNearEnd = true;
    const status = await printer.queryStatus();
    expect(status).toMatchObject({ online: true, paperNearEnd: true, paperOut: false });
    await drawer.open();
    await until(() => vp.printed.length >= receipt.length + 5, 'kick received', 20000);
    expect(vp.printedText().slice(0, receipt.length)).toBe(receipt);
    expect(vp.printed.slice(receipt.length)).toEqual([0x1b, 0x70, 0, 50, 100]);

    // the cable is pulled: socat goes away; a job waits; socat comes back on the same path
    devPort.close();
    await stop(pair.proc);
    // A hung-up pty is reported at the next read or write, and an idle line may have no read
    // pending: a till notices at its next status poll, as here.
    if (transport.connection() === 'connected') await printer.queryStatus().catch(() => undefined);
    await until(() => transport.connection() === 'reconnecting', 'reconnecting', 20000);
    const pending = printer.print(enc('AFTER REPLUG\n'), { jobId: 'r2' });
    rmSync(pair.host, { force: true });
    rmSync(pair.device, { force: true });
    pair = await ptyPair('printer');
    devPort = await openDevicePort(pair.device, 19200);
    const vp2 = new VirtualPrinter((b) => devPort.write(Buffer.from(b)));
    devPort.on('data', (b: Buffer) => vp2.receive(b));
    await pending;
    await until(() => vp2.printedText().includes('AFTER REPLUG\n'), 'job after replug', 20000);
    // r1 is not printed again on the new link
    await printer.print(enc(receipt), { jobId: 'r1' });
    expect(vp2.printedText()).toBe('AFTER REPLUG\n');
    await transport.close();
    devPort.close();
  }, 60_000);

  it('weighs on a virtual Toledo 8217 scale at 9600 7E1', async () => {
    const pair = await ptyPair('scale');
    const devPort = await openDevicePort(pair.device, 9600);
    const vs = new VirtualToledoScale((b) => devPort.write(Buffer.from(b)));
    devPort.on('data', (b: Buffer) => vs.receive(b));
    const transport = createSerialPortTransport({
      path: pair.host,
      baudRate: 9600,
      dataBits: 7,
      parity: 'even',
    });
    const scale = createToledoScale({ transport, replyTimeoutMs: 5000 });
    await transport.open();
    vs.grams = 375;
    expect(await scale.read()).toMatchObject({ weight: '0.375', stable: true });
    vs.motion = true;
    await expect(scale.read()).rejects.toMatchObject({ code: 'device.unstable_weight' });
    vs.motion = false;
    expect(await scale.zero()).toMatchObject({ centerOfZero: true });
    scale.dispose();
    await transport.close();
    devPort.close();
  }, 60_000);
});

describe('TCP 9100 transport against a local server', () => {
  let server: Server;
  let port = 0;
  const printers: VirtualPrinter[] = [];
  const sockets: Socket[] = [];

  beforeAll(async () => {
    server = createServer((socket) => {
      sockets.push(socket);
      const vp = new VirtualPrinter((b) => socket.write(b));
      printers.push(vp);
      socket.on('data', (b) => vp.receive(b));
      socket.on('error', () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  });

  it('prints, reads status, and reconnects after the printer drops the connection', async () => {
    const transport = createTcpTransport({ host: '127.0.0.1', port, reconnect: { delays: [20, 50, 100] } });
    const printer = createPrinter({ transport, statusTimeoutMs: 5000 });
    await transport.open();
    const big = enc('x'.repeat(200_000));
    await printer.print(big, { jobId: 'big' });
    await until(() => printers[0]!.printed.length >= 200_000, 'all bytes at the printer', 20000);
    printers[0]!.online = false;
    expect(await printer.queryStatus()).toMatchObject({ online: false });
    const states: string[] = [];
    transport.connection$.subscribe((s) => states.push(s));
    sockets[0]!.destroy();
    await until(() => states.includes('reconnecting') && states.at(-1) === 'connected', 'reconnected', 20000);
    await printer.print(enc('AGAIN\n'), { jobId: 'again' });
    await until(() => (printers[1]?.printedText() ?? '') === 'AGAIN\n', 'second connection printed', 20000);
    await transport.close();
  }, 60_000);

  it('fails open clearly when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const freePort = (closed.address() as { port: number }).port;
    await new Promise((r) => closed.close(r));
    const transport = createTcpTransport({ host: '127.0.0.1', port: freePort });
    await expect(transport.open()).rejects.toMatchObject({ code: 'device.open_failed' });
  });
});
