import { createHash } from 'node:crypto';
import type { Knex } from 'knex';

const names = new Map<string, string>();

/**
 * Runs a statement as a named prepared statement: each connection has PostgreSQL parse and plan it
 * once, then only binds and executes it. For the hot statements of every step, whose text is one of
 * a few fixed shapes (never one built from a variable number of placeholders: that would prepare
 * without end).
 */
export function prepared(db: Knex | Knex.Transaction, sql: string, bindings: readonly unknown[]): Knex.Raw {
  let name = names.get(sql);
  if (name === undefined) {
    name = `hall_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
    names.set(sql, name);
  }
  return db.raw(sql, bindings as Knex.RawBinding[]).options({ name });
}
