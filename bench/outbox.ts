import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { buildContainer, disposeContainer } from '../src/adapters/composition/container.js';
import { seedDemoOrganisation } from '../src/adapters/composition/demo.js';
import { startEmbeddedDatabase } from '../src/adapters/driven/embedded-postgres/embedded-database.js';
import { HttpDataPlatformSink } from '../src/adapters/driven/http-sink/http-data-platform-sink.js';
import { createKnex } from '../src/adapters/driven/knex/knex-database.js';
import { migrateLatest } from '../src/adapters/driven/knex/migration-source.js';
import { OutboxRelayRunner } from '../src/adapters/driving/jobs/outbox-relay-runner.js';
import type { TransactionScope } from '../src/application/ports/unit-of-work.port.js';
import { benchConfig } from './bench-config.js';
import { percentile, runConcurrently } from './measure.js';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const PER_WORKER = Number(process.env.BENCH_OUTBOX_TRANSACTIONS ?? 500);
const BATCH = Number(process.env.BENCH_OUTBOX_BATCH ?? 100);
const log = (m: string) => process.stderr.write(`[outbox] ${m}\n`);

/**
 * The outbox, measured in one run on the embedded PostgreSQL:
 * - the added cost of writing it: transactions shaped like a workflow step's bookkeeping (an audit
 *   entry, with or without its outbox event) at CONCURRENCY, alternating the two kinds in rounds so
 *   that drift hits both alike; the ratio is per transaction, with over without;
 * - delivery: the events just written, relayed to a local HTTP sink (CloudEvents batch mode,
 *   OUTBOX_BATCH_SIZE per batch), in events/s, against the ceiling of POSTing the same batches to the
 *   same sink from this process with nothing read from the database.
 */
export async function runOutboxBench(): Promise<Record<string, unknown>> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'hall-bench-outbox-'));
  await chmod(dataDir, 0o755);
  const db = await startEmbeddedDatabase({ dataDir });
  let received = 0;
  const sink = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      received += (JSON.parse(raw) as unknown[]).length;
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/events`;
  try {
    const knex = createKnex(db.url, 2);
    await migrateLatest(knex);
    await seedDemoOrganisation(knex);
    await knex.destroy();
    const container = await buildContainer(
      benchConfig(db.url, dataDir, {
        outbox: { http: { url, timeoutMs: 30_000 }, batchSize: BATCH, retentionDays: 30 },
      }),
      () => ({ sinks: [new HttpDataPlatformSink({ url, timeoutMs: 30_000 }, { name: 'data-platform' })] }),
      pino({ level: 'silent' }),
    );
    try {
      const { uow } = container.ports;
      const step = (withEvent: boolean, n: number) => async (scope: TransactionScope) => {
        const at = new Date();
        const entity = `bench-${n % 64}`;
        await scope.audit.record({
          actorId: 'T0002',
          action: 'task.approved',
          entityType: 'application',
          entityId: entity,
          at,
          after: { n },
        });
        if (withEvent) {
          await scope.outbox.enqueue({
            topic: 'task.approved',
            aggregateType: 'application',
            aggregateId: entity,
            payload: { actor: 'T0002', taskId: `t-${n}`, caseNumber: `2026-BENCH-${n}` },
            at,
          });
        }
      };
      log(`writing: ${CONCURRENCY} × ${PER_WORKER} transactions each way, alternating rounds`);
      const ms = { with: [] as number[], without: [] as number[] };
      const seconds = { with: 0, without: 0 };
      let n = 0;
      const ROUNDS = 10;
      for (let round = 0; round < ROUNDS; round++) {
        for (const kind of round % 2 ? (['with', 'without'] as const) : (['without', 'with'] as const)) {
          const r = await runConcurrently(
            Array.from({ length: CONCURRENCY }, () => async (record) => {
              for (let i = 0; i < PER_WORKER / ROUNDS; i++) {
                const t0 = performance.now();
                await uow.run(step(kind === 'with', ++n));
                record(performance.now() - t0);
              }
            }),
          );
          ms[kind].push(...r.latencies);
          seconds[kind] += r.seconds;
        }
      }
      const written = ms.with.length;
      const perTxn = (k: 'with' | 'without') => (seconds[k] * 1000 * CONCURRENCY) / ms[k].length;

      log(`delivering ${written} events to a local HTTP sink, batches of ${BATCH}`);
      const relay = new OutboxRelayRunner(container.useCases.relayOutbox, pino({ level: 'silent' }), {
        pollMs: 5,
        leaseRetryMs: 50,
        backoffMinMs: 20,
        backoffMaxMs: 200,
        cleanUpEveryMs: 3_600_000,
      });
      const started = performance.now();
      relay.start();
      while (received < written) await new Promise((r) => setTimeout(r, 5));
      const relaySeconds = (performance.now() - started) / 1000;
      await relay.stop();

      // the ceiling: the same number of batches POSTed straight to the sink
      const body = JSON.stringify(
        Array.from({ length: BATCH }, (_, i) => ({ specversion: '1.0', id: String(i), data: { n: i } })),
      );
      const batches = Math.ceil(written / BATCH);
      const t0 = performance.now();
      for (let b = 0; b < batches; b++) {
        await fetch(url, { method: 'POST', headers: { 'content-type': 'application/cloudevents-batch+json' }, body });
      }
      const ceilingSeconds = (performance.now() - t0) / 1000;
      const delivered = written / relaySeconds;
      const ceiling = (batches * BATCH) / ceilingSeconds;
      return {
        bench: 'outbox',
        concurrency: CONCURRENCY,
        transactions_each_way: ms.with.length,
        ms_per_step_without_outbox: Number(perTxn('without').toFixed(3)),
        ms_per_step_with_outbox: Number(perTxn('with').toFixed(3)),
        outbox_write_cost_ratio: Number((perTxn('with') / perTxn('without')).toFixed(3)),
        p99_ms_without: Number(percentile(ms.without, 99).toFixed(2)),
        p99_ms_with: Number(percentile(ms.with, 99).toFixed(2)),
        events_delivered: written,
        delivered_events_per_second: Math.round(delivered),
        http_ceiling_events_per_second: Math.round(ceiling),
        ratio_to_ceiling: Number((delivered / ceiling).toFixed(3)),
        batch_size: BATCH,
      };
    } finally {
      await disposeContainer(container);
    }
  } finally {
    await new Promise((r) => sink.close(r));
    await db.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
