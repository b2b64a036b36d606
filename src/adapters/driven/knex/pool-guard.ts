import { AsyncLocalStorage } from 'node:async_hooks';
import type { Knex } from 'knex';

const insideUnitOfWork = new AsyncLocalStorage<true>();
const guarded = new WeakSet<object>();

/** Thrown when work holding a transaction asks the pool for a second connection. */
export class SecondConnectionError extends Error {
  constructor() {
    super(
      'a query on the connection pool while this unit of work holds a transaction: read through the transaction scope',
    );
    this.name = 'SecondConnectionError';
  }
}

/** Runs `work` as the inside of a unit of work: the pool refuses it a connection of its own. */
export function inTransaction<T>(work: () => Promise<T>): Promise<T> {
  return insideUnitOfWork.run(true, work);
}

/**
 * A request that holds a transaction (and maybe a row lock) and waits for a second connection
 * deadlocks the pool once as many requests do it at once as there are connections: under load,
 * every one of them times out. The pool therefore refuses a connection to anything running inside
 * a unit of work; the transaction's own queries do not ask the pool (knex hands them the
 * transaction's connection).
 */
export function guardPool(knex: Knex): void {
  const client = knex.client as { acquireConnection: () => Promise<unknown> };
  if (guarded.has(client)) return;
  guarded.add(client);
  const acquire = client.acquireConnection.bind(client);
  client.acquireConnection = () => {
    if (insideUnitOfWork.getStore()) return Promise.reject(new SecondConnectionError());
    return acquire();
  };
}
