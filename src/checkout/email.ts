import { checkInputShape, checkOptions, INPUT_LIMITS, KassaError } from '../errors.js';
import type { ReceiptDocument } from '../receipts/document.js';
import { toHtml } from '../receipts/html.js';
import { toText } from '../receipts/text.js';

/** Options of {@link receiptEmail}. */
export interface ReceiptEmailOptions {
  /** `"Kaas & Koffie" <bon@kaasenkoffie.example>` or a bare address. */
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  /** The message date (the sale's time); an ISO instant. */
  readonly date: string;
  /** A globally unique id without angle brackets (`till-1-000001@kaasenkoffie.example`). */
  readonly messageId: string;
}

// `Name <local@domain>` or `local@domain`: the parts cannot overlap, so the match is linear.
const ADDRESS = /^(?:[^\r\n<>@]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/;
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  // RFC 2045: encoded lines of at most 76 characters.
  return (btoa(binary).match(/.{1,76}/g) ?? []).join('\r\n');
}

/** RFC 2047 encoded-word for a header that is not plain ASCII. */
function headerText(text: string): string {
  return /^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${base64(text).replace(/\r\n/g, '')}?=`;
}

/** RFC 5322 date-time, in UTC. */
function rfc5322Date(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/**
 * A receipt as a standard MIME message (RFC 5322, `multipart/alternative` with the text and the
 * HTML version, UTF-8, base64), which any mailer sends as it is: nodemailer's `raw`, an SMTP
 * `DATA` command, or a provider's raw-message API. Pure: the same document and options give the
 * same bytes.
 */
export function receiptEmail(doc: ReceiptDocument, options: ReceiptEmailOptions): string {
  if (options === undefined) checkOptions(null, [], 'receipt e-mail options', ['options']);
  checkOptions(options, ['from', 'to', 'subject', 'date', 'messageId'], 'receipt e-mail options', [
    'options',
  ]);
  // A receipt has short lines; a megabyte of text in one block is a bug upstream, refused at once.
  checkInputShape(doc, 'receipt document', { ...INPUT_LIMITS, stringLength: 10_000 });
  for (const key of ['from', 'to'] as const) {
    const value = options[key];
    if (typeof value !== 'string' || value.length > 320 || !ADDRESS.test(value)) {
      throw new KassaError(
        'validation.invalid_input',
        `Invalid receipt e-mail ${key}: expected an e-mail address`,
        {
          path: ['options', key],
        },
      );
    }
  }
  if (typeof options.subject !== 'string' || options.subject.length > 900 || /[\r\n]/.test(options.subject)) {
    throw new KassaError('validation.invalid_input', 'Invalid receipt e-mail subject: one line of text', {
      path: ['options', 'subject'],
    });
  }
  if (
    typeof options.date !== 'string' ||
    options.date.length > 40 ||
    Number.isNaN(Date.parse(options.date))
  ) {
    throw new KassaError('validation.invalid_input', 'Invalid receipt e-mail date: expected an ISO instant', {
      path: ['options', 'date'],
    });
  }
  if (
    typeof options.messageId !== 'string' ||
    options.messageId.length > 250 ||
    !/^[^\s<>@]+@[^\s<>@]+$/.test(options.messageId)
  ) {
    throw new KassaError(
      'validation.invalid_input',
      'Invalid receipt e-mail messageId: expected local@domain',
      {
        path: ['options', 'messageId'],
      },
    );
  }
  const text = toText(doc);
  const html = toHtml(doc);
  // The boundary derives from the message id, so the message is deterministic; it cannot occur
  // in base64 bodies, whose alphabet has no '='-prefixed runs of this shape.
  const boundary = `=_kassa_${options.messageId.replace(/[^A-Za-z0-9]/g, '')}`;
  return [
    `From: ${options.from}`,
    `To: ${options.to}`,
    `Subject: ${headerText(options.subject)}`,
    `Date: ${rfc5322Date(options.date)}`,
    `Message-ID: <${options.messageId}>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64(text),
    `--${boundary}`,
    'Content-Type: text/html; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64(html),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}
