// Recorded key timing traces: [key, ms since the previous key]. The scanner bursts come
// from a USB keyboard-wedge scanner (about 2-12 ms per key, Enter suffix); the human
// traces from people typing a SKU, a price and a name into the till, including a fast
// typist's bigrams under 40 ms.

type Trace = Array<[string, number]>;

function burst(text: string, gaps: number[], suffixGap = 6): Trace {
  const t: Trace = [...text].map((ch, i) => [ch, i === 0 ? 0 : gaps[(i - 1) % gaps.length]!]);
  t.push(['Enter', suffixGap]);
  return t;
}

export const SCANNER_BURSTS: Array<{ keys: Trace; expected: string }> = [
  { keys: burst('4006381333931', [4, 6, 3, 8, 5, 4, 7, 3, 5, 6, 4, 9]), expected: '4006381333931' },
  { keys: burst('96385074', [11, 12, 9, 10, 12, 11, 10], 14), expected: '96385074' },
  {
    // upper-case letters arrive with Shift strokes in between, as a US layout wedge types them
    keys: [
      ['Shift', 0],
      ['L', 3],
      ['Shift', 2],
      ['O', 3],
      ['Shift', 2],
      ['Y', 3],
      ['-', 4],
      ['1', 3],
      ['2', 4],
      ['3', 3],
      ['4', 4],
      ['Enter', 5],
    ],
    expected: 'LOY-1234',
  },
];

export const HUMAN_TYPING: Trace[] = [
  // a SKU typed at a normal pace, then Enter
  [
    ['4', 0],
    ['0', 180],
    ['0', 150],
    ['6', 210],
    ['3', 170],
    ['8', 160],
    ['1', 190],
    ['Enter', 300],
  ],
  // a fast typist: some bigrams under 35 ms, never a whole run
  [
    ['t', 0],
    ['h', 28],
    ['e', 95],
    [' ', 60],
    ['q', 110],
    ['u', 31],
    ['i', 74],
    ['c', 88],
    ['k', 33],
    ['Enter', 140],
  ],
  // a price with a correction
  [
    ['1', 0],
    ['2', 140],
    ['Backspace', 220],
    ['3', 160],
    ['.', 190],
    ['5', 130],
    ['0', 120],
    ['Enter', 250],
  ],
];
