import { describe, expect, it } from 'vitest';
import { createPrinter } from '../../src/devices/index.js';
import { createTransportCore } from '../../src/devices/transports/core.js';
import type { Link, LinkSink } from '../../src/devices/transports/types.js';
import { until } from './fakes/scenarios.js';

const enc = (s: string) => new TextEncoder().encode(s);

/**
 * A device whose writes never settle once its line has hung up, as Node's serialport does
 * for a write in flight when the other end of a pty (or some USB adapters) goes away.
 */
function hangingDevice() {
  let sink: LinkSink | undefined;
  let hung = false;
  let stuck = 0;
  const written: number[] = [];
  const factory = {
    async connect(s: LinkSink): Promise<Link> {
      sink = s;
      hung = false;
      return {
        write: (chunk: Uint8Array) => {
          if (hung) {
            stuck++;
            return new Promise<void>(() => undefined);
          }
          written.push(...chunk);
          return Promise.resolve();
        },
        close: async () => undefined,
      };
    },
  };
  return {
    factory,
    written,
    /** Writes that reached the hung line and will never settle. */
    stuck: () => stuck,
    hangUp() {
      hung = true;
    },
    reportLost() {
      sink?.lost(new Error('line hung up'));
    },
  };
}

describe('a write in flight when the device goes away', () => {
  it('rejects as disconnected instead of holding every later write', async () => {
    const device = hangingDevice();
    const transport = createTransportCore('serial', 'test line', device.factory, {
      reconnect: { delays: [1] },
    });
    await transport.open();
    device.hangUp();
    const inFlight = transport.write(enc('status?'));
    const queued = transport.write(enc('behind it'));
    await until(() => device.stuck() === 1, 'the write in flight');
    device.reportLost();
    await expect(inFlight).rejects.toMatchObject({ code: 'device.disconnected', details: { written: 0 } });
    await expect(queued).rejects.toMatchObject({ code: 'device.disconnected' });
    await until(() => transport.connection() === 'connected', 'reconnected');
    await transport.write(enc('after'));
    expect(new TextDecoder().decode(new Uint8Array(device.written))).toBe('after');
    await transport.close();
  });

  it('leaves a print job queued behind a hung status request free to print after the replug', async () => {
    const device = hangingDevice();
    const transport = createTransportCore('serial', 'test printer', device.factory, {
      reconnect: { delays: [1] },
    });
    const printer = createPrinter({ transport, asb: false, statusTimeoutMs: 60_000 });
    await transport.open();
    device.hangUp();
    const status = printer.queryStatus();
    const job = printer.print(enc('AFTER REPLUG\n'), { jobId: 'r2' });
    await until(() => device.stuck() === 1, 'the status request in flight');
    device.reportLost();
    await expect(status).rejects.toMatchObject({ code: 'device.disconnected' });
    await expect(job).resolves.toMatchObject({ id: 'r2', state: 'done' });
    expect(new TextDecoder().decode(new Uint8Array(device.written))).toBe('AFTER REPLUG\n');
    printer.dispose();
    await transport.close();
  });
});
