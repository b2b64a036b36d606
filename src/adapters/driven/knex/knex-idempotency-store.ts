import type { Knex } from 'knex';
import type { IdempotencyClaim, IdempotencyStore } from '../../../application/ports/idempotency-store.port.js';

/**
 * Idempotency-Key records per person. The first request claims the key with a placeholder row; a
 * concurrent duplicate waits for it (at most `waitMs`) and replays its response; a failed request
 * releases the key. A placeholder older than `leaseMs` belongs to a request that died before it
 * could give the key back (its process killed, or the database gone between the claim and the
 * release): the next request with the key takes it over instead of finding it "in progress" for
 * ever — found by the database-unreachable drill, where a retry after recovery hung on its own key.
 */
export class KnexIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly knex: Knex,
    private readonly waitMs = 5_000,
    private readonly leaseMs = 60_000,
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
        { operation: string; request_hash: string; status: number; body: unknown; created_at: Date } | undefined;
      if (!row) return this.begin(o); // released meanwhile: try to claim it ourselves
      if (row.operation !== o.operation || row.request_hash !== o.hash) return { kind: 'mismatch' };
      if (row.status !== 0) return { kind: 'replay', status: row.status, body: row.body };
      if (o.at.getTime() - row.created_at.getTime() > this.leaseMs) {
        // abandoned: take it over, unless another request has just done so
        const taken = await this.knex('idempotency_keys')
          .where({ actor_id: o.actor, key: o.key, status: 0, created_at: row.created_at })
          .update({ created_at: o.at });
        if (taken) return { kind: 'new' };
        continue;
      }
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
