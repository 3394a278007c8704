import { fromHex, subtle, toHex } from './digest.js';

/**
 * The signing port. A fiscal signature device (a German TSE, an Austrian signature card) or a
 * software key sits behind it. `sign` gets the UTF-8 bytes of the entry's canonical JSON
 * (without `sig` and `hash`) and returns the raw signature.
 */
export interface Signer {
  /** The algorithm name written into each entry (`Ed25519`). */
  readonly alg: string;
  /** Which key signed, so a verifier can pick the public key. */
  readonly keyId: string;
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/** Checks signatures of one key; {@link createEd25519Verifier} builds one from a public key. */
export interface SignatureVerifier {
  readonly keyId: string;
  verify(message: Uint8Array, signature: Uint8Array): Promise<boolean>;
}

/** A software Ed25519 signer over WebCrypto (Node 20, current browsers). */
export function createEd25519Signer(options: { privateKey: CryptoKey; keyId: string }): Signer {
  const { privateKey, keyId } = options;
  return {
    alg: 'Ed25519',
    keyId,
    async sign(message) {
      return new Uint8Array(await subtle().sign('Ed25519', privateKey, message as Uint8Array<ArrayBuffer>));
    },
  };
}

/** A verifier for Ed25519 signatures from a WebCrypto public key or its raw 32 bytes as hex. */
export async function createEd25519Verifier(options: {
  publicKey: CryptoKey | string;
  keyId: string;
}): Promise<SignatureVerifier> {
  const key =
    typeof options.publicKey === 'string'
      ? await subtle().importKey(
          'raw',
          fromHex(options.publicKey) as Uint8Array<ArrayBuffer>,
          'Ed25519',
          true,
          ['verify'],
        )
      : options.publicKey;
  return {
    keyId: options.keyId,
    async verify(message, signature) {
      return subtle().verify(
        'Ed25519',
        key,
        signature as Uint8Array<ArrayBuffer>,
        message as Uint8Array<ArrayBuffer>,
      );
    },
  };
}

/**
 * A fresh Ed25519 key pair with its signer and verifier; the public key comes back as hex so
 * that it can be stored beside the register's configuration.
 */
export async function generateEd25519Signer(keyId: string): Promise<{
  signer: Signer;
  verifier: SignatureVerifier;
  publicKeyHex: string;
  keyPair: CryptoKeyPair;
}> {
  const keyPair = (await subtle().generateKey('Ed25519', true, ['sign', 'verify'])) as CryptoKeyPair;
  const publicKeyHex = toHex(await subtle().exportKey('raw', keyPair.publicKey));
  return {
    signer: createEd25519Signer({ privateKey: keyPair.privateKey, keyId }),
    verifier: await createEd25519Verifier({ publicKey: keyPair.publicKey, keyId }),
    publicKeyHex,
    keyPair,
  };
}
