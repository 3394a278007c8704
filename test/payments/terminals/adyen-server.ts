import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

/*
 * A local Adyen terminal on 127.0.0.1 speaking the Terminal API: the local endpoint
 * (`/nexo`, messages encrypted and decrypted with Adyen's own NexoCrypto from
 * @adyen/api-library) and the cloud endpoint (`/sync`, x-api-key). Every message in and
 * out is walked against the library's terminal typings: unknown fields and values that are
 * not members of the typed enums are recorded in `refused`, which the tests require empty.
 */

const require = createRequire(import.meta.url);
const models = require('@adyen/api-library/lib/src/typings/terminal/models') as Record<string, unknown>;
const NexoCrypto = require('@adyen/api-library/lib/src/security/nexoCrypto').default as {
  new (): { decrypt(msg: unknown, key: unknown): string };
  encrypt(header: unknown, json: string, key: unknown): unknown;
};

type AttrMap = { name: string; baseName: string; type: string }[];

function enumOf(type: string): Record<string, string> | undefined {
  const [head, tail] = type.split('.');
  const holder = models[head!] as Record<string, unknown> | undefined;
  const e = (tail ? holder?.[tail] : holder) as Record<string, unknown> | undefined;
  if (
    !e ||
    typeof e === 'function' ||
    typeof (e as { getAttributeTypeMap?: unknown }).getAttributeTypeMap === 'function'
  )
    return undefined;
  return e as Record<string, string>;
}

/** Walks `value` as the library's type `type`; returns the problems found. */
export function checkAdyen(value: unknown, type: string, path = '$', problems: string[] = []): string[] {
  if (value === undefined || value === null) return problems;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (!Array.isArray(value)) problems.push(`${path}: expected an array`);
    else for (const [i, v] of value.entries()) checkAdyen(v, array[1]!, `${path}[${i}]`, problems);
    return problems;
  }
  if (type === 'string' || type === 'Date') {
    if (typeof value !== 'string') problems.push(`${path}: expected a string`);
    return problems;
  }
  if (type === 'number') {
    if (typeof value !== 'number') problems.push(`${path}: expected a number`);
    return problems;
  }
  if (type === 'boolean') {
    if (typeof value !== 'boolean') problems.push(`${path}: expected a boolean`);
    return problems;
  }
  if (type === 'any' || type === 'object') return problems;
  if (type === 'SaleToAcquirerData' && typeof value === 'string') {
    // On the wire it is a string: key=value pairs (tender options) or base64 JSON, as the
    // library's own serializer writes it.
    const attrs = (models.SaleToAcquirerData as { getAttributeTypeMap: () => AttrMap }).getAttributeTypeMap();
    for (const k of new URLSearchParams(value).keys())
      if (!attrs.some((a) => a.baseName === k))
        problems.push(`${path}: ${k} is not a SaleToAcquirerData key`);
    return problems;
  }
  const members = enumOf(type);
  if (members) {
    if (!Object.values(members).includes(value as string))
      problems.push(`${path}: ${String(value)} is not a ${type}`);
    return problems;
  }
  const cls = models[type] as { getAttributeTypeMap?: () => AttrMap } | undefined;
  if (!cls?.getAttributeTypeMap) {
    problems.push(`${path}: unknown type ${type}`);
    return problems;
  }
  const attrs = cls.getAttributeTypeMap();
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const attr = attrs.find((a) => a.baseName === k);
    if (!attr) problems.push(`${path}.${k}: not a field of ${type}`);
    else checkAdyen(v, attr.type, `${path}.${k}`, problems);
  }
  return problems;
}

export type AdyenScript =
  | { do: 'approve'; tip?: number; brand?: string }
  | { do: 'decline'; condition?: 'Refusal' | 'WrongPIN' | 'InvalidCard'; reason?: string }
  | { do: 'partial'; amount: number }
  /** The request never reaches the terminal (connection dropped). */
  | { do: 'lost' }
  /** The terminal takes the payment, the answer is a 500. */
  | { do: 'error_after_payment' }
  /** The card is tapped only after `ms`; the answer comes then. */
  | { do: 'complete_late'; ms: number }
  /** The payment completes at once, the answer is held for `ms`. */
  | { do: 'answer_late'; ms: number }
  /** The terminal drops off the network mid-payment: no answer ever; the payment completes after `ms` (or never). */
  | { do: 'offline'; ms?: number }
  /** Waits for a card until aborted. */
  | { do: 'wait' }
  | { do: 'busy' };

type Tx = {
  serviceId: string;
  header: Record<string, unknown>;
  state: 'in_progress' | 'done';
  response?: Record<string, unknown>;
  attemptId: string;
  amount: number;
  currency: string;
  poiTxId?: string;
  reversed: number;
  authorized: number;
  finish?: (r: Record<string, unknown>) => void;
};

export interface AdyenServer {
  readonly url: string;
  readonly apiKey: string;
  readonly key: { KeyIdentifier: string; Passphrase: string; KeyVersion: number; AdyenCryptoVersion: number };
  readonly poiId: string;
  enqueue(...s: AdyenScript[]): void;
  charged(): string[];
  readonly payments: { serviceId: string; attemptId: string }[];
  readonly refused: string[];
  /** Messages received on /nexo that were not encrypted. */
  readonly plain: number;
  received(attemptId: string): boolean;
  /** The last PaymentRequest received, as sent. */
  lastPayment(): Record<string, unknown> | undefined;
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startAdyenServer(): Promise<AdyenServer> {
  const apiKey = 'AQE_test_key';
  const key = { KeyIdentifier: 'kassa', Passphrase: 'p4ss phrase', KeyVersion: 1, AdyenCryptoVersion: 1 };
  const poiId = 'V400m-324688179';
  const scripts: AdyenScript[] = [];
  const txs = new Map<string, Tx>();
  const byPoi = new Map<string, Tx>();
  const refused: string[] = [];
  const payments: { serviceId: string; attemptId: string }[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let lastPayment: Record<string, unknown> | undefined;
  let plain = 0;
  let seq = 0;
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const respHeader = (h: Record<string, unknown>) => ({ ...h, MessageType: 'Response' });

  const paymentResponse = (tx: Tx, script: AdyenScript, sale: Record<string, unknown>) => {
    const ts = new Date().toISOString();
    tx.poiTxId = `BV0q00${(++seq).toString().padStart(4, '0')}.88${seq}15832683931521`;
    const poi = { POITransactionID: { TransactionID: tx.poiTxId, TimeStamp: ts } };
    byPoi.set(tx.poiTxId, tx);
    if (script.do === 'decline') {
      return {
        Response: {
          Result: 'Failure',
          ErrorCondition: script.condition ?? 'Refusal',
          AdditionalResponse: `refusalReason=${encodeURIComponent(script.reason ?? 'Not enough balance')}&refusalReasonRaw=51&message=${encodeURIComponent('NOT_ENOUGH_BALANCE')}`,
        },
        POIData: poi,
        SaleData: sale,
      };
    }
    if (script.do === 'busy') {
      return { Response: { Result: 'Failure', ErrorCondition: 'Busy' }, POIData: poi, SaleData: sale };
    }
    const authorized = script.do === 'partial' ? script.amount : tx.amount;
    tx.authorized = authorized;
    return {
      Response: {
        Result: script.do === 'partial' ? 'Partial' : 'Success',
        AdditionalResponse: 'giftcardIndicator=false',
      },
      POIData: poi,
      SaleData: sale,
      PaymentResult: {
        PaymentType: 'Normal',
        OnlineFlag: true,
        AmountsResp: {
          AuthorizedAmount: authorized,
          Currency: tx.currency,
          ...(script.do === 'approve' && script.tip ? { TipAmount: script.tip } : {}),
        },
        PaymentAcquirerData: {
          AcquirerPOIID: poiId,
          MerchantID: 'KassaPOS',
          ApprovalCode: '123456',
          AcquirerTransactionID: { TransactionID: '8815832683931521', TimeStamp: ts },
        },
        PaymentInstrumentData: {
          PaymentInstrumentType: 'Card',
          CardData: {
            EntryMode: ['Contactless'],
            PaymentBrand: script.do === 'approve' && script.brand ? script.brand : 'mc',
            MaskedPan: '541333******9999',
          },
        },
      },
    };
  };

  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let s = '';
      req.setEncoding('utf8');
      req.on('data', (d) => {
        s += d;
      });
      req.on('end', () => resolve(s));
    });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const raw = await read(req);
    const local = req.url === '/nexo';
    if (!local && req.url !== '/sync') {
      res.writeHead(404).end();
      return;
    }
    if (!local && req.headers['x-api-key'] !== apiKey) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          status: 401,
          errorCode: '000',
          message: 'HTTP Status Response - Unauthorized',
          errorType: 'security',
        }),
      );
      return;
    }
    let message = JSON.parse(raw) as { SaleToPOIRequest: Record<string, unknown> };
    const encrypted = local && 'NexoBlob' in message.SaleToPOIRequest;
    if (encrypted) {
      refused.push(...checkAdyen(message, 'TerminalApiSecuredRequest', 'secured'));
      try {
        message = JSON.parse(new NexoCrypto().decrypt(message.SaleToPOIRequest, key));
      } catch {
        // What a terminal does with a message it cannot decrypt: an unencrypted rejection event.
        const header = message.SaleToPOIRequest.MessageHeader as Record<string, unknown>;
        const event = {
          SaleToPOIRequest: {
            MessageHeader: {
              ...header,
              MessageClass: 'Event',
              MessageCategory: 'Event',
              MessageType: 'Notification',
            },
            EventNotification: {
              EventToNotify: 'Reject',
              EventDetails: 'message=Crypto%20error',
              TimeStamp: new Date().toISOString(),
            },
          },
        };
        refused.push(...checkAdyen(event, 'TerminalApiResponse', 'event'));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(event));
        return;
      }
    } else if (local) plain += 1;
    refused.push(...checkAdyen(message, 'TerminalApiRequest'));
    const request = message.SaleToPOIRequest;
    const header = request.MessageHeader as Record<string, unknown>;
    if (String(header.ServiceID).length > 10)
      refused.push(`ServiceID ${String(header.ServiceID)} longer than 10`);
    const answer = (body: Record<string, unknown> | undefined, status = 200) => {
      if (res.writableEnded || res.destroyed) return;
      if (!body) {
        res.writeHead(status).end();
        return;
      }
      const out = { SaleToPOIResponse: { MessageHeader: respHeader(header), ...body } };
      refused.push(...checkAdyen(out, 'TerminalApiResponse', 'response'));
      const wire = encrypted
        ? { SaleToPOIResponse: NexoCrypto.encrypt(respHeader(header), JSON.stringify(out), key) }
        : out;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(wire));
    };

    if (request.PaymentRequest) {
      const p = request.PaymentRequest as {
        SaleData: Record<string, unknown>;
        PaymentTransaction: { AmountsReq: { Currency: string; RequestedAmount: number } };
      };
      lastPayment = p as unknown as Record<string, unknown>;
      const script = scripts.shift() ?? { do: 'approve' };
      const attemptId = String((p.SaleData.SaleTransactionID as { TransactionID: string }).TransactionID);
      if (script.do === 'lost') {
        req.socket.destroy();
        return;
      }
      payments.push({ serviceId: String(header.ServiceID), attemptId });
      const tx: Tx = {
        serviceId: String(header.ServiceID),
        header,
        state: 'in_progress',
        attemptId,
        amount: p.PaymentTransaction.AmountsReq.RequestedAmount,
        currency: p.PaymentTransaction.AmountsReq.Currency,
        reversed: 0,
        authorized: 0,
      };
      txs.set(tx.serviceId, tx);
      const done = (response: Record<string, unknown>) => {
        if (tx.state === 'done') return;
        tx.state = 'done';
        tx.response = response;
      };
      tx.finish = (r) => {
        done(r);
        answer({ PaymentResponse: r });
      };
      const sale = p.SaleData;
      switch (script.do) {
        case 'error_after_payment':
          done(paymentResponse(tx, script, sale));
          res.writeHead(500).end('Internal Server Error');
          return;
        case 'complete_late':
          later(script.ms, () => tx.finish!(paymentResponse(tx, { do: 'approve' }, sale)));
          return;
        case 'answer_late':
          done(paymentResponse(tx, { do: 'approve' }, sale));
          later(script.ms, () => answer({ PaymentResponse: tx.response }));
          return;
        case 'offline':
          if (script.ms !== undefined)
            later(script.ms, () => done(paymentResponse(tx, { do: 'approve' }, sale)));
          return; // the connection is left hanging: the terminal is gone
        case 'wait':
          return;
        default:
          later(10, () => tx.finish!(paymentResponse(tx, script, sale)));
          return;
      }
    }
    if (request.TransactionStatusRequest) {
      const ref = (request.TransactionStatusRequest as { MessageReference: { ServiceID: string } })
        .MessageReference;
      const tx = txs.get(ref.ServiceID);
      if (!tx)
        return answer({
          TransactionStatusResponse: { Response: { Result: 'Failure', ErrorCondition: 'NotFound' } },
        });
      if (tx.state === 'in_progress')
        return answer({
          TransactionStatusResponse: { Response: { Result: 'Failure', ErrorCondition: 'InProgress' } },
        });
      return answer({
        TransactionStatusResponse: {
          Response: { Result: 'Success' },
          MessageReference: {
            MessageCategory: 'Payment',
            SaleID: tx.header.SaleID as string,
            ServiceID: tx.serviceId,
          },
          RepeatedMessageResponse: {
            MessageHeader: respHeader(tx.header),
            RepeatedResponseMessageBody: { PaymentResponse: tx.response },
          },
        },
      });
    }
    if (request.AbortRequest) {
      const ref = (request.AbortRequest as { MessageReference: { ServiceID: string } }).MessageReference;
      const tx = txs.get(ref.ServiceID);
      if (tx && tx.state === 'in_progress' && tx.finish) {
        tx.finish({
          Response: {
            Result: 'Failure',
            ErrorCondition: 'Aborted',
            AdditionalResponse: 'message=Cancelled%20by%20POS',
          },
          POIData: {
            POITransactionID: { TransactionID: `ABRT${++seq}`, TimeStamp: new Date().toISOString() },
          },
          SaleData: {
            SaleTransactionID: { TransactionID: tx.attemptId, TimeStamp: new Date().toISOString() },
          },
        });
      }
      return answer(undefined);
    }
    if (request.ReversalRequest) {
      const r = request.ReversalRequest as {
        OriginalPOITransaction: { POITransactionID: { TransactionID: string } };
        ReversedAmount?: number;
      };
      const tx = byPoi.get(r.OriginalPOITransaction.POITransactionID.TransactionID);
      const ts = new Date().toISOString();
      if (!tx || tx.authorized === 0)
        return answer({ ReversalResponse: { Response: { Result: 'Failure', ErrorCondition: 'NotFound' } } });
      const amount = r.ReversedAmount ?? tx.authorized - tx.reversed;
      // Amounts on the wire are major-unit numbers: compare in minor units.
      if (Math.round((tx.reversed + amount) * 100) > Math.round(tx.authorized * 100) || amount <= 0)
        return answer({
          ReversalResponse: {
            Response: {
              Result: 'Failure',
              ErrorCondition: 'NotAllowed',
              AdditionalResponse: 'message=Refund%20exceeds%20captured',
            },
          },
        });
      tx.reversed = Math.round((tx.reversed + amount) * 1000) / 1000;
      return answer({
        ReversalResponse: {
          Response: { Result: 'Success' },
          POIData: { POITransactionID: { TransactionID: `RVSL${++seq}.99${seq}`, TimeStamp: ts } },
          ReversedAmount: amount,
        },
      });
    }
    res.writeHead(400).end();
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      refused.push(`server error: ${String(e)}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    key,
    poiId,
    payments,
    refused,
    get plain() {
      return plain;
    },
    enqueue: (...s) => scripts.push(...s),
    charged: () =>
      [...txs.values()]
        .filter((t) => t.state === 'done' && t.authorized > 0 && t.reversed < t.authorized)
        .map((t) => t.attemptId),
    received: (attemptId) => payments.some((p) => p.attemptId === attemptId),
    lastPayment: () => lastPayment,
    async idle() {
      for (let i = 0; i < 400; i++) {
        if ([...txs.values()].every((t) => t.state === 'done')) return;
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
