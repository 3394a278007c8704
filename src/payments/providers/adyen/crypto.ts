/*
 * The local Terminal API's message protection, as Adyen documents it for terminals on the
 * shop's network: keys derived with PBKDF2-HMAC-SHA1 (salt "AdyenNexoV1Salt", 4000
 * rounds, 80 bytes: HMAC key, cipher key, IV), the whole SaleToPOI JSON encrypted with
 * AES-256-CBC under an IV that is the derived IV XOR a random nonce, and an HMAC-SHA256 of
 * the plain JSON. WebCrypto only, so it runs in a browser till and in Node alike.
 */
import { KassaError } from '../../../errors.js';
import { constantTimeEqual } from '../../webhooks/crypto.js';

/** The key shared with the terminal (set in the Customer Area, per terminal or merchant). */
export interface AdyenEncryptionKey {
  /** The key identifier as configured (`'mykey'`). */
  readonly keyIdentifier: string;
  /** The passphrase as configured. */
  readonly passphrase: string;
  /** The key version as configured. */
  readonly keyVersion: number;
}

/** The SecurityTrailer of an encrypted message. @internal */
export interface SecurityTrailer {
  readonly AdyenCryptoVersion: number;
  readonly Hmac: string;
  readonly KeyIdentifier: string;
  readonly KeyVersion: number;
  readonly Nonce: string;
}

type Derived = { hmac: CryptoKey; cipher: CryptoKey; iv: Uint8Array };
const cache = new Map<string, Promise<Derived>>();

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new KassaError('payment.not_sent', 'WebCrypto (crypto.subtle) is not available');
  return s;
}

/** Bytes of the passphrase the way Adyen's libraries read it (one byte per character). */
function latin1(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

function derive(passphrase: string): Promise<Derived> {
  let hit = cache.get(passphrase);
  if (!hit) {
    hit = (async () => {
      const s = subtle();
      const base = await s.importKey('raw', latin1(passphrase) as BufferSource, 'PBKDF2', false, [
        'deriveBits',
      ]);
      const bits = new Uint8Array(
        await s.deriveBits(
          {
            name: 'PBKDF2',
            salt: latin1('AdyenNexoV1Salt') as BufferSource,
            iterations: 4000,
            hash: 'SHA-1',
          },
          base,
          80 * 8,
        ),
      );
      const hmac = await s.importKey('raw', bits.slice(0, 32), { name: 'HMAC', hash: 'SHA-256' }, false, [
        'sign',
      ]);
      const cipher = await s.importKey('raw', bits.slice(32, 64), 'AES-CBC', false, ['encrypt', 'decrypt']);
      return { hmac, cipher, iv: bits.slice(64, 80) };
    })();
    cache.set(passphrase, hit);
  }
  return hit;
}

const b64 = (bytes: Uint8Array) => {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
};
const unb64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const xor = (a: Uint8Array, b: Uint8Array) => a.map((v, i) => v ^ (b[i] ?? 0));

/** Encrypts one message (the whole `{"SaleToPOIRequest": ...}` JSON). @internal */
export async function encryptNexo(
  json: string,
  key: AdyenEncryptionKey,
): Promise<{ NexoBlob: string; SecurityTrailer: SecurityTrailer }> {
  const d = await derive(key.passphrase);
  const plain = new TextEncoder().encode(json);
  const nonce = globalThis.crypto.getRandomValues(new Uint8Array(16));
  const blob = new Uint8Array(
    await subtle().encrypt({ name: 'AES-CBC', iv: xor(d.iv, nonce) as BufferSource }, d.cipher, plain),
  );
  const mac = new Uint8Array(await subtle().sign('HMAC', d.hmac, plain));
  return {
    NexoBlob: b64(blob),
    SecurityTrailer: {
      AdyenCryptoVersion: 1,
      Hmac: b64(mac),
      KeyIdentifier: key.keyIdentifier,
      KeyVersion: key.keyVersion,
      Nonce: b64(nonce),
    },
  };
}

/**
 * Decrypts one message and checks its HMAC; a message that does not verify is refused
 * (it may be forged or corrupt, and an answer about money must not be guessed at).
 * @internal
 */
export async function decryptNexo(
  message: { NexoBlob?: unknown; SecurityTrailer?: Partial<SecurityTrailer> },
  key: AdyenEncryptionKey,
): Promise<string> {
  const trailer = message.SecurityTrailer;
  if (
    typeof message.NexoBlob !== 'string' ||
    typeof trailer?.Nonce !== 'string' ||
    typeof trailer.Hmac !== 'string'
  ) {
    throw new KassaError('payment.webhook_malformed', 'The terminal answered without an encrypted body');
  }
  const d = await derive(key.passphrase);
  let plain: Uint8Array;
  try {
    plain = new Uint8Array(
      await subtle().decrypt(
        { name: 'AES-CBC', iv: xor(d.iv, unb64(trailer.Nonce)) as BufferSource },
        d.cipher,
        unb64(message.NexoBlob) as BufferSource,
      ),
    );
  } catch {
    throw new KassaError(
      'payment.webhook_invalid_signature',
      'The terminal answer does not decrypt under the key',
    );
  }
  const mac = new Uint8Array(await subtle().sign('HMAC', d.hmac, plain as BufferSource));
  if (!constantTimeEqual(mac, unb64(trailer.Hmac))) {
    throw new KassaError(
      'payment.webhook_invalid_signature',
      'The HMAC of the terminal answer does not match',
    );
  }
  return new TextDecoder().decode(plain);
}
