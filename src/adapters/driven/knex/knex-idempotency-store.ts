import type { Knex } from 'knex';
import type { IdempotencyClaim, IdempotencyStore } from '../../../application/ports/idempotency-store.port.js';

/**
 * Idempotency-Key records per person. The first request claims the key with a placeholder row; a
 * concurrent duplicate waits for it and replays its response; a failed request releases the key.
 */
export class KnexIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly knex: Knex,
    private readonly waitMs = 10_000,
  ) {}

  async begin(o: { actor: string; key: string; operation: string; hash: string; at: Date }): Promise<IdempotencyClaim> {
    const inserted = await this.knex('idempotency_keys')
      .insert({
        actor_id: o.actor,
        key: o.key,
        operation: o.operation,
        request_hash: o.hash,
        status: 0,
        body: 'null',
        created_at: o.at,
      })
      .onConflict(['actor_id', 'key'])
      .ignore()
      .returning('key');
    if (inserted.length) return { kind: 'new' };
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      const row = (await this.knex('idempotency_keys').where({ actor_id: o.actor, key: o.key }).first()) as
        { operation: string; request_hash: string; status: number; body: unknown } | undefined;
      if (!row) return this.begin(o); // released meanwhile: try to claim it ourselves
      if (row.operation !== o.operation || row.request_hash !== o.hash) return { kind: 'mismatch' };
      if (row.status !== 0) return { kind: 'replay', status: row.status, body: row.body };
      if (Date.now() > deadline) return { kind: 'in-progress' };
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async complete(o: { actor: string; key: string; status: number; body: unknown }): Promise<void> {
    await this.knex('idempotency_keys')
      .where({ actor_id: o.actor, key: o.key })
      .update({ status: o.status, body: JSON.stringify(o.body ?? null) });
  }

  async release(o: { actor: string; key: string }): Promise<void> {
    await this.knex('idempotency_keys').where({ actor_id: o.actor, key: o.key, status: 0 }).delete();
  }
}
