/**
 * Tiny benchmark harness: median CPU time per call over timed batches, after a warm-up.
 * CPU time (process.cpuUsage) rather than wall time, because the machines this runs on are
 * shared: time spent descheduled must not count against whichever contender ran then.
 */
export interface Measurement {
  name: string;
  medianMicros: number;
  samples: number;
}

export function measure(
  name: string,
  fn: () => unknown,
  { minMillis = 400, batch }: { minMillis?: number; batch?: number } = {},
): Measurement {
  // Size the batch so one batch takes about 5 ms; the clock's resolution then does not matter.
  let size = batch ?? 1;
  if (batch === undefined) {
    for (;;) {
      const start = performance.now();
      for (let i = 0; i < size; i++) fn();
      if (performance.now() - start > 5 || size > 1_000_000) break;
      size *= 2;
    }
  }
  const warmEnd = performance.now() + minMillis / 4;
  while (performance.now() < warmEnd) for (let i = 0; i < size; i++) fn();
  const times: number[] = [];
  const end = performance.now() + minMillis;
  while (performance.now() < end || times.length < 5) {
    const start = process.cpuUsage();
    for (let i = 0; i < size; i++) fn();
    const used = process.cpuUsage(start);
    times.push((used.user + used.system) / size);
  }
  times.sort((a, b) => a - b);
  return { name, medianMicros: times[Math.floor(times.length / 2)]!, samples: times.length * size };
}

/** A seeded PRNG (mulberry32), so every run prices identical carts. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function table(rows: Record<string, string | number>[]): string {
  const keys = Object.keys(rows[0] ?? {});
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => String(r[k]).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [
    line(keys),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(keys.map((k) => String(r[k])))),
  ].join('\n');
}
