import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/clock.js';
import { createMemoryTransport, createPrinter } from '../../src/devices/index.js';
import { until } from './fakes/scenarios.js';
import { VirtualPrinter } from './fakes/virtual-devices.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('queryStatus on a busy printer (issue 12 §3.1)', () => {
  it('starts the reply timer when the request is written, not while it waits behind a job', async () => {
    const clock = createManualClock();
    const { transport, device } = createMemoryTransport({ clock, chunkSize: 8 });
    const vp = new VirtualPrinter((b) => device.send(b));
    device.written$.subscribe((c) => vp.receive(c));
    const printer = createPrinter({ transport, clock, statusTimeoutMs: 1000, asb: false });
    await transport.open();
    device.holdWrites(true);
    const job = printer.print(enc('A LONG RECEIPT THAT TAKES A WHILE TO PRINT\n'));
    const status = printer.queryStatus();
    const outcome = status.then(
      (s) => ({ ok: true as const, s }),
      (e) => ({ ok: false as const, e }),
    );
    // the job keeps the printer busy for 3 s: longer than the status timeout
    for (let i = 0; i < 6; i++) {
      await clock.advance(500);
      await until(() => device.releaseWrite(), 'a chunk of the job');
    }
    device.holdWrites(false);
    await job;
    const r = await outcome;
    expect(r.ok ? r.s : r.e).toMatchObject({ online: true });
  });
});
