import { createServer, request as httpRequest, type Server } from 'node:http';
import { Observable } from 'rxjs';
import { KassaError } from '../../../src/errors.js';
import type { PaymentEvent, PaymentOutcome, PaymentProvider } from '../../../src/payments/index.js';

/*
 * A card terminal that lives in the test process and is reached over real HTTP on
 * 127.0.0.1, so that several till processes (and processes killed mid-payment) share one
 * terminal and one acquirer ledger. It charges when a request arrives and answers after
 * `delayMs`; it counts every request per attempt key (a double charge is two) and how many
 * requests were in flight on each terminal at once.
 */

export interface TerminalLedgerEntry {
  terminal: string;
  saleId: string;
  amount: string;
  starts: number;
  outcome?: PaymentOutcome;
}

export interface TerminalServer {
  readonly url: string;
  readonly ledger: Map<string, TerminalLedgerEntry>;
  /** Most requests ever in flight at once on one terminal. */
  maxInFlight(): number;
  close(): Promise<void>;
}

export async function startTerminalServer(delayMs: number): Promise<TerminalServer> {
  const ledger = new Map<string, TerminalLedgerEntry>();
  const inFlight = new Map<string, number>();
  let max = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const send = (v: unknown) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(v));
      };
      const msg = body ? (JSON.parse(body) as Record<string, string>) : {};
      if (req.url === '/start') {
        const known = ledger.get(msg.attemptId!);
        if (known) {
          known.starts += 1;
          send(known.outcome ?? { status: 'unknown', reason: 'in progress' });
          return;
        }
        const entry: TerminalLedgerEntry = {
          terminal: msg.terminal!,
          saleId: msg.saleId!,
          amount: msg.amount!,
          starts: 1,
        };
        ledger.set(msg.attemptId!, entry);
        const n = (inFlight.get(entry.terminal) ?? 0) + 1;
        inFlight.set(entry.terminal, n);
        max = Math.max(max, n);
        setTimeout(() => {
          entry.outcome = {
            status: 'approved',
            amount: entry.amount,
            authCode: 'A1',
            providerRef: `ref_${msg.attemptId}`,
          };
          inFlight.set(entry.terminal, (inFlight.get(entry.terminal) ?? 1) - 1);
          send(entry.outcome);
        }, delayMs);
        return;
      }
      if (req.url === '/inquire') {
        const e = ledger.get(msg.attemptId!);
        send(e ? (e.outcome ?? { status: 'in_progress' }) : { status: 'not_found' });
        return;
      }
      res.statusCode = 404;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    ledger,
    maxInFlight: () => max,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function post(url: string, body: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => {
          try {
            resolve(JSON.parse(text));
          } catch (e) {
            reject(e);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** The till side of {@link startTerminalServer}: a PaymentProvider over HTTP. */
export function httpTerminal(id: string, url: string): PaymentProvider {
  return {
    id,
    capabilities: {
      method: 'card',
      partialApproval: false,
      tips: false,
      refunds: false,
      void: false,
      capture: false,
      inquiry: true,
    },
    start(request) {
      return new Observable<PaymentEvent>((subscriber) => {
        post(`${url}/start`, { terminal: id, ...request }).then(
          (outcome) => {
            subscriber.next({ type: 'outcome', outcome: outcome as PaymentOutcome });
            subscriber.complete();
          },
          (e) => subscriber.error(e),
        );
      });
    },
    async inquire(ref) {
      return (await post(`${url}/inquire`, ref)) as PaymentOutcome;
    },
    async cancel() {
      return 'unknown';
    },
    async refund() {
      throw new KassaError('payment.not_sent', 'refunds are not part of this fixture');
    },
  };
}
