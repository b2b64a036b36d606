import type { Knex } from 'knex';
import type { Unit } from '../../src/application/ports/organisation.port.js';
import type { UnitOfWork } from '../../src/application/ports/unit-of-work.port.js';
import { KnexUnitOfWork } from '../../src/adapters/driven/knex/knex-unit-of-work.js';
import { InMemoryDatabase } from '../fakes/in-memory-database.js';
import { InMemoryOrganisation } from '../fakes/in-memory-organisation.js';
import { InMemoryUnitOfWork } from '../fakes/in-memory-unit-of-work.js';
import { createTestDatabase } from '../fixtures/test-database.js';
import { RoleMother } from '../mothers/organisation.mother.js';

/** The reminder policy both sides arm timers with (the configuration's defaults). */
export const REMINDERS = { beforeHours: 24, escalateAfterHours: 24, expireSeconds: 60 } as const;

/**
 * What every contract starts from, on either side: a unit of work over an empty hall (roles and
 * default permissions as the migrations leave them), the units it needs (no port writes units:
 * they are seeded per side), and a read on the connection pool, which a unit of work refuses.
 */
export interface Side {
  uow: UnitOfWork;
  seedUnits(...units: Unit[]): Promise<void>;
  poolRead(): Promise<unknown>;
  close(): Promise<void>;
}

export interface FakeSide extends Side {
  db: InMemoryDatabase;
}
export interface RealSide extends Side {
  knex: Knex;
}

export function fakeSide(o: { email?: boolean } = {}): FakeSide {
  const db = new InMemoryDatabase();
  db.state.roles.push(...RoleMother.hall());
  return {
    db,
    uow: new InMemoryUnitOfWork(db, { email: o.email ?? false }),
    seedUnits: async (...units) => {
      for (const u of units) if (!db.state.units.some((x) => x.key === u.key)) db.state.units.push(structuredClone(u));
    },
    poolRead: () => InMemoryOrganisation.onPool(db).person('T0001'),
    close: async () => {},
  };
}

/** A fresh migrated database of its own (cloned from the run's template) and the production unit of work on it. */
export async function realSide(o: { email?: boolean } = {}): Promise<RealSide> {
  const db = await createTestDatabase();
  return {
    knex: db.knex,
    uow: new KnexUnitOfWork(db.knex, { reminders: REMINDERS, email: o.email ?? false }),
    seedUnits: async (...units) => {
      await db
        .knex('units')
        .insert(units.map((u) => ({ key: u.key, code: u.code, name: u.name, name_en: u.nameEn, kind: u.kind })))
        .onConflict('key')
        .ignore();
    },
    poolRead: () => db.knex('people').count({ n: '*' }),
    close: () => db.drop(),
  };
}

/** The error a promise rejects with (a contract case fails when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('expected a rejection');
}
