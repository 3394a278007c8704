import type { Symbology } from '../../symbology/index.js';

export type { Symbology };

/** An AIM symbology identifier (ISO/IEC 15424) split off the data it prefixed. */
export interface AimDecoded {
  /** The three characters, e.g. `']E0'`. */
  readonly aim: string;
  readonly symbology: Symbology;
  /** The data after the identifier. */
  readonly data: string;
}

function symbologyOf(code: string, modifier: string): Symbology | undefined {
  switch (code) {
    case 'A':
      return 'code-39';
    case 'B':
      return 'telepen';
    case 'C':
      return modifier === '1' ? 'gs1-128' : 'code-128';
    case 'd':
      return modifier === '2' || modifier === '5' ? 'gs1-data-matrix' : 'data-matrix';
    case 'E':
      if (modifier === '4') return 'ean-8';
      if (modifier === '1' || modifier === '2') return 'ean-addon';
      return 'ean-13';
    case 'e':
      return 'gs1-databar';
    case 'F':
      return 'codabar';
    case 'G':
      return 'code-93';
    case 'H':
      return 'code-11';
    case 'I':
      return 'itf';
    case 'L':
      return 'pdf417';
    case 'M':
      return 'msi';
    case 'Q':
      return modifier === '3' || modifier === '4' ? 'gs1-qr-code' : 'qr-code';
    case 'U':
      return 'maxicode';
    case 'z':
      return 'aztec';
    case 'X':
      return 'other';
    default:
      return undefined;
  }
}

/**
 * Splits an AIM symbology identifier (`]` + code character + modifier) off scanned data.
 * Returns undefined when the data does not start with a known identifier, so data that
 * merely begins with `]` is left alone.
 *
 * @example
 * ```ts
 * decodeAim(']E04006381333931'); // { aim: ']E0', symbology: 'ean-13', data: '4006381333931' }
 * ```
 */
export function decodeAim(raw: string): AimDecoded | undefined {
  if (raw.length < 3 || raw[0] !== ']') return undefined;
  const code = raw[1]!;
  const modifier = raw[2]!;
  if (!/^[0-9A-Za-z]$/.test(modifier)) return undefined;
  const symbology = symbologyOf(code, modifier);
  if (!symbology) return undefined;
  return { aim: raw.slice(0, 3), symbology, data: raw.slice(3) };
}

/** The symbology an AIM identifier such as `']C1'` names, or undefined. */
export function symbologyFromAim(aim: string): Symbology | undefined {
  return aim.length === 3 ? decodeAim(`${aim}`)?.symbology : undefined;
}
