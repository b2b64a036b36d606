/** Runs the workers at once; each records the latency of every step it completes. */
export async function runConcurrently(
  workers: Array<(record: (ms: number) => void) => Promise<void>>,
): Promise<{ count: number; seconds: number; latencies: number[] }> {
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

/**
 * CPU time (ms) used so far by the processes whose command line matches each pattern, from /proc
 * (Linux): to tell where a step's time goes (server, PostgreSQL, the load generator).
 */
export async function cpuMs(groups: Record<string, RegExp>): Promise<Record<string, number>> {
  const { readdir, readFile } = await import('node:fs/promises');
  const ticks = 100; // USER_HZ on Linux
  const out: Record<string, number> = Object.fromEntries(Object.keys(groups).map((k) => [k, 0]));
  for (const pid of (await readdir('/proc')).filter((d) => /^\d+$/.test(d))) {
    try {
      const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replace(/\0/g, ' ');
      const group = Object.entries(groups).find(([, re]) => re.test(cmdline))?.[0];
      if (!group) continue;
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out[group]! += ((Number(fields[11]) + Number(fields[12])) * 1000) / ticks;
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}
