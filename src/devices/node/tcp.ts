import { connect as netConnect } from 'node:net';
import * as z from 'zod/mini';
import { KassaError } from '../../errors.js';
import { checkOptions, msSchema, transportOptionsShape } from '../options.js';
import { createTransportCore } from '../transports/core.js';
import type { Transport, TransportOptions } from '../transports/types.js';

/** Options of {@link createTcpTransport}. */
export interface TcpTransportOptions extends TransportOptions {
  host: string;
  /** Default 9100, the raw printing port of network printers. */
  port?: number;
  /** Give up connecting after this long. Default 5000 ms. */
  connectTimeoutMs?: number;
}

const optionsSchema = z.looseObject({
  ...transportOptionsShape,
  host: z.string().check(z.minLength(1), z.maxLength(253)),
  port: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(65535))),
  connectTimeoutMs: msSchema,
});

/**
 * A transport over TCP, for network receipt printers on port 9100. Writes wait for the
 * socket to drain when its buffer is full. Keep-alive detects a printer that was switched
 * off; it is reconnected on a back-off timer.
 */
export function createTcpTransport(options: TcpTransportOptions): Transport {
  checkOptions(optionsSchema, options, 'TCP options');
  const port = options.port ?? 9100;
  return createTransportCore(
    'tcp',
    options.label ?? `tcp ${options.host}:${port}`,
    {
      connect(sink) {
        return new Promise((resolve, reject) => {
          const socket = netConnect({ host: options.host, port });
          let open = false;
          let closing = false;
          socket.setNoDelay(true);
          socket.setTimeout(options.connectTimeoutMs ?? 5000);
          socket.once('timeout', () => {
            if (!open) socket.destroy(new Error('connect timeout'));
          });
          socket.once('connect', () => {
            open = true;
            socket.setTimeout(0);
            socket.setKeepAlive(true, 5000);
            resolve({
              write: (chunk) =>
                new Promise<void>((res, rej) => {
                  if (socket.destroyed) {
                    rej(new KassaError('device.disconnected', 'socket closed'));
                    return;
                  }
                  const flushed = socket.write(chunk, (err) => (err ? rej(err) : flushedOk()));
                  let callbackDone = false;
                  let drained = flushed;
                  function flushedOk() {
                    callbackDone = true;
                    if (drained) res();
                  }
                  if (!flushed) {
                    socket.once('drain', () => {
                      drained = true;
                      if (callbackDone) res();
                    });
                  }
                }),
              close: () =>
                new Promise<void>((res) => {
                  closing = true;
                  if (socket.destroyed) {
                    res();
                    return;
                  }
                  socket.once('close', () => res());
                  socket.end();
                  // a printer that never acknowledges the FIN must not hold close() up
                  setTimeout(() => socket.destroy(), 1000).unref?.();
                }),
            });
          });
          socket.on('data', (b: Buffer) => sink.data(new Uint8Array(b.buffer, b.byteOffset, b.byteLength)));
          socket.on('error', (e) => {
            if (!open) reject(e);
          });
          socket.on('close', () => {
            if (open && !closing) sink.lost(new Error('connection closed'));
          });
        });
      },
    },
    options,
    4096,
  );
}
