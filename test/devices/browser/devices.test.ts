import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The device drivers in real headless Chromium (Debian's package), with the W3C device
// fakes injected into the page: requestDevice never resolves in headless Chromium, so
// tests hand the drivers fake HIDDevice / SerialPort / USBDevice objects instead.

type KassaTest = Record<string, (...a: unknown[]) => unknown>;

let server: Server;
let browser: Browser;
let page: Page;
let url = '';

beforeAll(async () => {
  const out = await build({
    entryPoints: [fileURLToPath(new URL('./page-entry.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  });
  const js = out.outputFiles[0]!.text;
  server = createServer((req, res) => {
    if (req.url === '/bundle.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(js);
      return;
    }
    // a page whose permissions policy blocks the device APIs, as an embedding site can
    const denied = req.url?.startsWith('/denied')
      ? { 'permissions-policy': 'hid=(), usb=(), serial=()' }
      : {};
    res.writeHead(200, { 'content-type': 'text/html', ...denied });
    res.end('<!doctype html><html><body><input id="sku"><script src="/bundle.js"></script></body></html>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const context = await browser.newContext();
  page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => 'kassaTest' in window);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
});

const run = <T>(name: string): Promise<T> =>
  page.evaluate((n) => (window as unknown as { kassaTest: KassaTest }).kassaTest[n]!() as Promise<T>, name);

describe('devices in headless Chromium', () => {
  it('WebHID scanner: symbology, garbage, unplug and replug with a new HIDDevice', async () => {
    const r = await run<{
      scans: { data: string; symbology: string }[];
      states: string[];
      modeSwitch: number[];
    }>('hidScannerReplug');
    expect(r.modeSwitch).toEqual([1]);
    expect(r.scans.map((s) => s.symbology)).toEqual(['ean-13', 'gs1-data-matrix', 'ean-8']);
    expect(r.scans.some((s) => s.data.includes('999'))).toBe(false);
    expect(r.states).toContain('reconnecting');
  });

  it('WebSerial printer: real streams, status, reconnect, no double print, remembered ports', async () => {
    const r = await run<Record<string, unknown>>('webSerialPrinterReconnect');
    expect(r.printed).toBe('RECEIPT-1\nRECEIPT-2\nAFTER-RELOAD\n');
    expect(r.status).toEqual({ paperNearEnd: true, online: true });
    expect(r.coverOpenFromAsb).toBe(true);
    expect(r.foundSame).toBe(true);
    expect(r.foundPlainB).toBe(true);
  });

  it('WebUSB printer and drawer: chunked transfers, status, interrupted job', async () => {
    const r = await run<Record<string, unknown>>('webUsbPrinterAndDrawer');
    expect(r.refusedWhileClosed).toBe('device.no_printer');
    expect(r.kick).toEqual([0x1b, 0x70, 0, 50, 100]);
    expect(r.drawerHigh).toBe(true);
    expect(r.interruptedCode).toBe('device.print_interrupted');
    expect(r.endsWithNext).toBe(true);
  });

  it('Toledo scale and CD5220 pole display over Web Serial', async () => {
    const r = await run<{ reading: unknown; motionCode: string; parity: string; shown: string }>(
      'webSerialScaleAndDisplay',
    );
    expect(r.reading).toEqual({ weight: '0.375', stable: true });
    expect(r.motionCode).toBe('device.unstable_weight');
    expect(r.parity).toBe('even');
    expect(r.shown).toContain('TOTAL EUR 4.84');
  });

  it('keyboard wedge: DOM KeyboardEvents on the window, no focus needed', async () => {
    const r = await run<{ scans: string[]; prevented: string[] }>('keyboardBursts');
    expect(r.scans).toEqual(await run<string[]>('expectedBursts'));
    expect(await run<string[]>('unfocusedScan')).toEqual(['4006381333931']);
  });

  it('keyboard wedge: a person typing with the real keyboard is not a scan', async () => {
    await run('startRealKeyboard');
    await page.click('#sku');
    await page.keyboard.type('4006381', { delay: 120 });
    await page.keyboard.press('Enter');
    expect(await page.inputValue('#sku')).toBe('4006381');
    expect(await page.evaluate(() => (window as unknown as { realScans: string[] }).realScans)).toEqual([]);
    await page.evaluate(() => (window as unknown as { stopReal: () => Promise<void> }).stopReal());
  });

  it('finds the injected navigator.serial by default, and prices a weighed scan', async () => {
    expect(await run<string>('globalSerial')).toBe('hello');
    const r = await run<{ result: { ok: boolean; command: unknown } }>('weighedLine');
    expect(r.result).toMatchObject({
      ok: true,
      command: { sku: 'cheese', quantity: '0.375', unitPrice: '12.90' },
    });
  });

  it('second screen: a cart published in one tab reaches another over BroadcastChannel', async () => {
    // the customer-facing tab: same origin, same browser context
    const customer = await page.context().newPage();
    await customer.goto(url);
    await customer.waitForFunction(() => 'kassaTest' in window);
    await customer.evaluate(() => (window as unknown as { kassaTest: KassaTest }).kassaTest.listenScreen!());
    await run('publishCart');
    await customer.waitForFunction(
      () => (window as unknown as { screenMessages: unknown[] }).screenMessages.length > 0,
      null,
      {
        timeout: 30_000,
      },
    );
    const got = await customer.evaluate(
      () => (window as unknown as { screenMessages: unknown[] }).screenMessages[0],
    );
    expect(got).toMatchObject({
      type: 'cart',
      total: '3.98',
      currency: 'EUR',
      lines: [{ name: 'Pen', quantity: '2' }],
    });
    await customer.close();
  });

  it('request helpers wrap the browser permission errors in KassaError, keeping the cause (issue 12 §3.2)', async () => {
    const probe = async (path: string) => {
      const p = await page.context().newPage();
      await p.goto(`${url}${path}`);
      await p.waitForFunction(() => 'probeResult' in window, null, { timeout: 20_000 });
      const r = await p.evaluate(
        () => (window as unknown as { probeResult: Record<string, unknown> }).probeResult,
      );
      await p.close();
      return r;
    };
    const noGesture = await probe('?probe');
    const denied = await probe('denied?probe');
    for (const api of ['hid', 'usb', 'serial']) {
      expect(noGesture[api], api).toEqual({
        errorName: 'KassaError',
        code: 'device.no_user_gesture',
        causeName: 'SecurityError',
      });
      expect(denied[api], api).toEqual({
        errorName: 'KassaError',
        code: 'device.permission_denied',
        causeName: 'SecurityError',
      });
    }
  });
});
