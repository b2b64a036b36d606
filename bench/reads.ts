import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { buildContainer, disposeContainer } from '../src/adapters/composition/container.js';
import { seedDemoOrganisation, seedDemoServiceItems } from '../src/adapters/composition/demo.js';
import { startEmbeddedDatabase } from '../src/adapters/driven/embedded-postgres/embedded-database.js';
import { createKnex } from '../src/adapters/driven/knex/knex-database.js';
import { migrateLatest } from '../src/adapters/driven/knex/migration-source.js';
import type { ReadTrail } from '../src/application/ports/read-trail.port.js';
import { benchConfig } from './bench-config.js';
import { percentile, runConcurrently } from './measure.js';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const READS = Number(process.env.BENCH_READS ?? 4000);
const ROUNDS = 10;
const APPLICATIONS = 200;
const log = (m: string) => process.stderr.write(`[reads] ${m}\n`);

/**
 * The cost of tracing reads of personal data: a handler reading applications (GetApplicationUseCase,
 * the form included) at CONCURRENCY, with the read trail (KnexReadTrail: kept in memory, written in
 * batches) and without (a trail that keeps nothing), alternating the two in rounds so that drift
 * hits both alike, in one run on the embedded PostgreSQL. The ratio is reads/s with over without.
 */
export async function runReadsBench(): Promise<Record<string, unknown>> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'hall-bench-reads-'));
  await chmod(dataDir, 0o755);
  const db = await startEmbeddedDatabase({ dataDir });
  try {
    const knex = createKnex(db.url, 2);
    await migrateLatest(knex);
    await seedDemoOrganisation(knex);
    await knex.destroy();
    let tracing = true;
    const container = await buildContainer(
      benchConfig(db.url, dataDir),
      ({ ports }) => {
        const real = ports.readTrail;
        const switched: ReadTrail = {
          record: (r) => (tracing ? real.record(r) : undefined),
          flush: () => real.flush(),
          list: (o) => real.list(o),
        };
        return { readTrail: switched };
      },
      pino({ level: 'silent' }),
    );
    try {
      await seedDemoServiceItems(container, pino({ level: 'silent' }));
      const leave = await container.ports.uow.run(async (scope) =>
        (await scope.serviceItems.list({ limit: 50 })).items.find((i) => i.code === 'XG-QJ'),
      );
      if (!leave) throw new Error('the demo item XG-QJ is missing');
      const ids: string[] = [];
      for (let i = 0; i < APPLICATIONS; i++) {
        const r = await container.useCases.startApplication.execute({
          actor: { personId: '2024110101', requestId: `bench-${i}` },
          itemId: leave.id,
          form: { from: '2026-12-01', to: '2026-12-02', days: 2, reason: '看病', leaves_city: false },
          submit: true,
        });
        if (!r.ok) throw new Error(`apply: ${r.error.message}`);
        ids.push(r.value.id);
      }
      // the counselor of the student's college reads them: someone else's data, so traced
      const read = (n: number) =>
        container.useCases.getApplication.execute({
          actor: { personId: 'T0402', requestId: `read-${n}` },
          applicationId: ids[n % ids.length]!,
        });
      log(`${CONCURRENCY} readers × ${READS / CONCURRENCY} reads each way, alternating rounds`);
      const ms = { traced: [] as number[], untraced: [] as number[] };
      const seconds = { traced: 0, untraced: 0 };
      let n = 0;
      for (let round = 0; round < ROUNDS; round++) {
        for (const kind of round % 2 ? (['traced', 'untraced'] as const) : (['untraced', 'traced'] as const)) {
          tracing = kind === 'traced';
          const r = await runConcurrently(
            Array.from({ length: CONCURRENCY }, () => async (record) => {
              for (let i = 0; i < READS / CONCURRENCY / ROUNDS; i++) {
                const t0 = performance.now();
                const got = await read(++n);
                if (!got.ok) throw new Error(`read: ${got.error.message}`);
                record(performance.now() - t0);
              }
            }),
          );
          ms[kind].push(...r.latencies);
          seconds[kind] += r.seconds;
        }
      }
      await container.ports.readTrail.flush();
      const written = (await container.ports.readTrail.list({ subjectId: '2024110101', limit: 1_000_000 })).items
        .length;
      const perSecond = (k: 'traced' | 'untraced') => ms[k].length / seconds[k];
      return {
        bench: 'reads',
        concurrency: CONCURRENCY,
        readsEachWay: ms.traced.length,
        tracedPerSecond: Math.round(perSecond('traced')),
        untracedPerSecond: Math.round(perSecond('untraced')),
        ratio: Number((perSecond('traced') / perSecond('untraced')).toFixed(3)),
        p99Ms: {
          traced: Number(percentile(ms.traced, 99).toFixed(2)),
          untraced: Number(percentile(ms.untraced, 99).toFixed(2)),
        },
        readRecordsWritten: written,
      };
    } finally {
      await disposeContainer(container);
    }
  } finally {
    await db.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
