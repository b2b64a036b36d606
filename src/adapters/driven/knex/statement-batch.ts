import type { Knex } from 'knex';
import { translatePgError } from './pg-errors.js';
import { prepared } from './prepared.js';

export interface BatchPart {
  /** One INSERT, UPDATE or DELETE (no WITH of its own); `?` placeholders. */
  sql: string;
  bindings: unknown[];
  /** The rows the part must return (it then ends in RETURNING); any other count throws `error()`. */
  expect?: { rows: number; error: () => Error };
  /** Unique constraints this part may break, and the conflict each one means. */
  constraints?: Record<string, { code: string; message: string }>;
}

/**
 * The writes of one transaction, held back and sent as ONE statement (each write a data-modifying
 * CTE) just before the commit, or earlier when something must read them. A state change, its
 * history, its tasks, its timers, its audit entry and its outbox event thus cost one round trip.
 * The parts see the same snapshot: one statement must not write the same row twice (the callers
 * flush first when they would).
 */
export class StatementBatch {
  private parts: BatchPart[] = [];

  constructor(private readonly trx: Knex.Transaction) {}

  get pending(): boolean {
    return this.parts.length > 0;
  }

  add(...parts: BatchPart[]): void {
    this.parts.push(...parts);
  }

  async flush(): Promise<void> {
    if (!this.parts.length) return;
    const parts = this.parts;
    this.parts = [];
    const checked = parts.flatMap((p, i) => (p.expect ? [{ p, name: `w${i}` }] : []));
    const single = parts.length === 1 && !checked.length;
    const sql = single
      ? parts[0]!.sql
      : `WITH ${parts.map((p, i) => `w${i} AS (${p.sql})`).join(', ')} SELECT ${checked.length ? checked.map((c) => `(SELECT count(*) FROM ${c.name})::int AS ${c.name}`).join(', ') : '1'}`;
    let rows: Array<Record<string, number>>;
    try {
      // a batch is one of a few shapes (which parts, which columns): prepared once per connection
      rows = (
        (await prepared(
          this.trx,
          sql,
          parts.flatMap((p) => p.bindings),
        )) as { rows: Array<Record<string, number>> }
      ).rows;
    } catch (e) {
      translatePgError(
        e,
        Object.assign({}, ...parts.map((p) => p.constraints ?? {})) as Record<
          string,
          { code: string; message: string }
        >,
      );
    }
    for (const { p, name } of checked) if (rows[0]?.[name] !== p.expect!.rows) throw p.expect!.error();
  }
}
