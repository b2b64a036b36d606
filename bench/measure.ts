/** Runs the workers at once; each records the latency of every step it completes. */
export async function runConcurrently(workers: Array<(record: (ms: number) => void) => Promise<void>>): Promise<{ count: number; seconds: number; latencies: number[] }> {
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(workers.map((w) => w((ms) => latencies.push(ms))));
  return { count: latencies.length, seconds: (performance.now() - started) / 1000, latencies };
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
