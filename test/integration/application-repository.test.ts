import { expect } from 'chai';
import PgBoss from 'pg-boss';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import type { UnitOfWork } from '../../src/application/ports/unit-of-work.port.js';
import { ConflictError } from '../../src/domain/shared/errors.js';
import { DueTimers } from '../../src/adapters/driven/pg-boss/due-timers.js';
import { bossDb, JOB_SCHEMA, QUEUES } from '../../src/adapters/driven/pg-boss/boss-db.js';
import { apply, reimbursement } from '../e2e/application-helpers.js';
import { onlineItem } from '../e2e/lifecycle-helpers.js';

describe('KnexApplicationRepository (real PostgreSQL)', () => {
  let t: TestApp;
  let uow: UnitOfWork;
  let itemId: string;
  before(async () => {
    t = await createTestApp();
    uow = t.container.ports.uow;
    ({ itemId } = await onlineItem(t, 'CW-REPO', reimbursement()));
  });
  after(async () => {
    await t.close();
  });

  /** Waits until some backend waits for a lock (the one the test started). */
  async function untilSomeoneWaitsForALock(): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const r = await t.db.knex.raw(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`,
      );
      if (r.rows[0].n > 0) return;
      await new Promise((res) => setTimeout(res, 10));
    }
    throw new Error('nobody waited for the lock');
  }

  it('a locking load that waited for another transaction sees the tasks as that one committed them', async () => {
    const a = await apply(t, itemId);
    const taskId = a.currentTasks[0]!.id;
    const other = await t.db.knex.transaction();
    await other('applications').where({ id: a.id }).forUpdate().first();
    const loading = uow.run((scope) => scope.applications.findByTaskId(taskId, { forUpdate: true }));
    await untilSomeoneWaitsForALock();
    await other('tasks').where({ id: taskId }).update({ assignee: 'T0302' });
    await other('applications').where({ id: a.id }).increment('lock_version', 1);
    await other.commit();
    const loaded = (await loading)!;
    expect(loaded.tasks.find((x) => x.id === taskId)!.assignee, 'the task as committed while the load waited').to.equal(
      'T0302',
    );
    expect(loaded.lockVersion).to.equal(2);
  });

  it('appends only the new history entries and writes only the tasks that changed', async () => {
    const a = await apply(t, itemId);
    const before = await t.db.knex('application_history').where({ application_id: a.id }).orderBy('seq');
    await uow.run(async (scope) => {
      const loaded = (await scope.applications.findById(a.id, { forUpdate: true }))!;
      expect(loaded.claim(a.currentTasks[0]!.id, 'T0302', true, new Date()).ok).to.equal(true);
      expect([...loaded.changes.tasks.keys()]).to.deep.equal([a.currentTasks[0]!.id]);
      await scope.applications.save(loaded);
    });
    const after = await t.db.knex('application_history').where({ application_id: a.id }).orderBy('seq');
    expect(after.slice(0, before.length)).to.deep.equal(before);
    expect(after.slice(before.length).map((h: { seq: number; action: string }) => [h.seq, h.action])).to.deep.equal([
      [before.length + 1, 'claimed'],
    ]);
    expect((await t.db.knex('applications').where({ id: a.id }).first()).last_seq).to.equal(before.length + 1);
  });

  it('a save over a change made meanwhile that recorded no history is a conflict too (the row count, not the history key, tells), and nothing of the transaction stays', async () => {
    const a = await apply(t, itemId);
    let thrown: unknown;
    try {
      await uow.run(async (scope) => {
        const loaded = (await scope.applications.findById(a.id))!;
        await t.db.knex('applications').where({ id: a.id }).increment('lock_version', 1);
        loaded.comment('2024110101', '迟到的', false, new Date());
        await scope.applications.save(loaded);
        await scope.audit.record({
          actorId: '2024110101',
          action: 'x',
          entityType: 'application',
          entityId: a.id,
          at: new Date(),
        });
      });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).to.be.instanceOf(ConflictError);
    expect((thrown as ConflictError).code).to.equal('APPLICATION.CONCURRENT_CHANGE');
    expect(
      await t.db
        .knex('application_history')
        .where({ application_id: a.id, action: 'commented' })
        .count({ n: '*' })
        .then((r) => Number(r[0]!.n)),
    ).to.equal(0);
    expect(
      await t.db
        .knex('audit_log')
        .where({ entity_id: a.id, action: 'x' })
        .count({ n: '*' })
        .then((r) => Number(r[0]!.n)),
    ).to.equal(0);
  });

  it('reminder jobs written in the batch are the rows pg-boss itself writes for the same jobs', async () => {
    const policy = { beforeHours: 24, escalateAfterHours: 24, expireSeconds: 60 };
    const dueAt = new Date(Date.now() + 3 * 86_400_000);
    const openedAt = new Date();
    const ours = '00000000-0000-4000-8000-0000000000a1';
    const theirs = '00000000-0000-4000-8000-0000000000a2';
    await new DueTimers(policy).apply(t.db.knex, [{ id: ours, dueAt, openedAt, reopened: false }], []);
    const jobs = await t.db.knex(`${JOB_SCHEMA}.job`).whereRaw(`data->>'taskId' = ?`, [ours]).orderBy('start_after');
    expect(jobs.map((j: { data: { kind: string } }) => j.data.kind)).to.deep.equal(['before-due', 'due', 'overdue']);
    const boss = new PgBoss({ schema: JOB_SCHEMA, db: { executeSql: () => Promise.reject(new Error('unused')) } });
    await boss.insert(
      jobs.map((j: { data: Record<string, unknown>; start_after: Date }) => ({
        id: globalThis.crypto.randomUUID(),
        name: QUEUES.reminder,
        data: { ...j.data, taskId: theirs },
        startAfter: j.start_after.toISOString(),
        expireInSeconds: 60,
      })),
      { db: bossDb(t.db.knex) },
    );
    const reference = await t.db
      .knex(`${JOB_SCHEMA}.job`)
      .whereRaw(`data->>'taskId' = ?`, [theirs])
      .orderBy('start_after');
    const comparable = (j: Record<string, unknown>) => {
      const { id: _i, created_on: _c, data: _d, ...rest } = j;
      return rest;
    };
    expect(jobs.map(comparable)).to.deep.equal(reference.map(comparable));
  });
});
