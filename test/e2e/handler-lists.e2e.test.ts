import { expect } from 'chai';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { MovableClock } from '../fixtures/movable-clock.js';
import { migrationConfig } from '../../src/adapters/driven/knex/migration-source.js';
import { as, onlineItem } from './lifecycle-helpers.js';
import { act, apply, reimbursement, type AppBody } from './application-helpers.js';

interface DoneLine {
  taskId: string;
  node: { key: string; name: string | null };
  outcome: string;
  actedAt: string;
  applicationId: string;
  caseNumber: string | null;
  serviceItem: { id: string; code: string; name: string };
  state: string;
}
interface CopiedLine {
  applicationId: string;
  caseNumber: string | null;
  serviceItem: { id: string; code: string; name: string };
  state: string;
  applicantId: string;
  copiedAt: string;
  copiedBy: string;
}
interface Counts {
  todo: { assigned: number; claimable: number; total: number; overdue: number };
  done: number;
  copied: number;
}

describe('handler lists: 已办, 抄送我的 and the badge counts (e2e)', () => {
  const clock = new MovableClock();
  let t: TestApp;
  let itemA: string;
  let itemB: string;
  /** cw-handler's three decisions, oldest first: approve on A, approve on B, reject on A. */
  const decided: Array<{ app: AppBody; taskId: string }> = [];

  const done = async (who: string, query = '') => {
    const res = await as(t, who).get(`/api/v1/me/done-tasks${query}`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body as { items: DoneLine[]; nextCursor: string | null };
  };
  const copied = async (who: string, query = '') => {
    const res = await as(t, who).get(`/api/v1/me/copied${query}`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body as { items: CopiedLine[]; nextCursor: string | null };
  };
  const counts = async (who: string) => {
    const res = await as(t, who).get('/api/v1/me/task-counts');
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body as Counts;
  };
  const ids = (lines: DoneLine[]) => lines.map((l) => l.taskId);
  const q = (o: Record<string, string>) => `?${new URLSearchParams(o).toString()}`;

  before(async () => {
    t = await createTestApp(() => ({ clock }));
    itemA = (await onlineItem(t, 'CW-DONEA', reimbursement('all'))).itemId;
    itemB = (await onlineItem(t, 'CW-DONEB', reimbursement('all'))).itemId;
    // a minute between decisions, so newest first is one order
    const decide = async (item: string, action: string, body?: unknown) => {
      const a = await apply(t, item);
      const taskId = a.currentTasks[0]!.id;
      expect((await act(t, 'cw-handler', taskId, 'claim')).status).to.equal(200);
      clock.advanceSeconds(60);
      const res = await act(t, 'cw-handler', taskId, action, body);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      clock.advanceSeconds(60);
      decided.push({ app: res.body as AppBody, taskId });
    };
    await decide(itemA, 'approve', { comment: '同意' });
    await decide(itemB, 'approve');
    await decide(itemA, 'reject', { reason: '票据不符' });
  });
  after(async () => {
    await t.close();
  });

  it('the done list shows the three decisions newest first, each with its node, outcome, item and state now', async () => {
    const page = await done('cw-handler');
    expect(ids(page.items)).to.deep.equal([decided[2]!.taskId, decided[1]!.taskId, decided[0]!.taskId]);
    expect(page.items.map((l) => l.outcome)).to.deep.equal(['rejected', 'approved', 'approved']);
    expect(page.items.map((l) => l.state)).to.deep.equal(['rejected', 'in_progress', 'in_progress']);
    expect(page.nextCursor).to.equal(null);
    const [rejected, , first] = page.items;
    expect(first).to.deep.include({
      applicationId: decided[0]!.app.id,
      caseNumber: decided[0]!.app.caseNumber,
      node: { key: 'check', name: '财务审核' },
    });
    expect(first!.serviceItem).to.include({ id: itemA, code: 'CW-DONEA' });
    expect(rejected!.serviceItem.code).to.equal('CW-DONEA');
    expect(Date.parse(rejected!.actedAt)).to.be.greaterThan(Date.parse(first!.actedAt));
  });

  it('filters narrow it: by item, outcome, case number, time range, and together', async () => {
    const [a1, b, a2] = decided.map((d) => d.taskId);
    expect(ids((await done('cw-handler', q({ itemId: itemB }))).items)).to.deep.equal([b]);
    expect(ids((await done('cw-handler', q({ outcome: 'rejected' }))).items)).to.deep.equal([a2]);
    expect(ids((await done('cw-handler', q({ outcome: 'approved', itemId: itemA }))).items)).to.deep.equal([a1]);
    expect(ids((await done('cw-handler', q({ caseNumber: decided[1]!.app.caseNumber }))).items)).to.deep.equal([b]);
    expect((await done('cw-handler', q({ outcome: 'returned' }))).items).to.deep.equal([]);
    const all = (await done('cw-handler')).items;
    const middle = all[1]!.actedAt;
    expect(ids((await done('cw-handler', q({ from: middle }))).items), 'from is inclusive').to.deep.equal([a2, b]);
    expect(ids((await done('cw-handler', q({ to: middle }))).items), 'to is exclusive').to.deep.equal([a1]);
    // an instant with an offset is the same instant
    const plus8 = new Date(Date.parse(middle) + 8 * 3600_000).toISOString().replace('Z', '+08:00');
    expect(ids((await done('cw-handler', q({ from: plus8 }))).items)).to.deep.equal([a2, b]);
  });

  it('pages with a cursor, newest first, and every line comes once', async () => {
    const first = await done('cw-handler', '?limit=2');
    expect(first.items).to.have.length(2);
    expect(first.nextCursor).to.be.a('string');
    const second = await done('cw-handler', q({ limit: '2', cursor: first.nextCursor! }));
    expect(second.nextCursor).to.equal(null);
    expect([...ids(first.items), ...ids(second.items)]).to.deep.equal(ids((await done('cw-handler')).items));
    // the cursor keeps its filters' meaning: the next page of a filtered list stays filtered
    const approved = await done('cw-handler', q({ outcome: 'approved', limit: '1' }));
    const rest = await done('cw-handler', q({ outcome: 'approved', limit: '1', cursor: approved.nextCursor! }));
    expect(ids([...approved.items, ...rest.items])).to.deep.equal([decided[1]!.taskId, decided[0]!.taskId]);
    expect(rest.nextCursor).to.equal(null);
  });

  it('bad filters are a 400 naming each field; nothing else answers', async () => {
    const bad = await as(t, 'cw-handler').get(
      `/api/v1/me/done-tasks${q({ itemId: 'x', outcome: 'approve', from: 'yesterday', limit: '0', extra: '1' })}`,
    );
    expect(bad.status).to.equal(400);
    expect(bad.type).to.equal('application/problem+json');
    expect((bad.body.errors as Array<{ path: string }>).map((e) => e.path).sort()).to.deep.equal(
      ['/extra', '/from', '/itemId', '/limit', '/outcome'].sort(),
    );
    const backwards = await as(t, 'cw-handler').get(
      `/api/v1/me/done-tasks${q({ from: '2026-12-01T00:00:00Z', to: '2026-11-01T00:00:00Z' })}`,
    );
    expect(backwards.status).to.equal(400);
    expect(backwards.body.errors).to.deep.equal([{ in: 'query', path: '/to', message: 'must be after from' }]);
    const cursor = await as(t, 'cw-handler').get('/api/v1/me/done-tasks?cursor=bm90LWEtY3Vyc29y');
    expect(cursor.status).to.equal(400);
    expect(cursor.body.errors[0]).to.include({ path: '/cursor' });
    const state = await as(t, 'student-hk').get('/api/v1/me/copied?state=approved');
    expect(state.status).to.equal(400);
    expect(state.body.errors[0]).to.include({ path: '/state' });
  });

  it("another handler, and someone who never handled anything, see none of them: the lists are one's own", async () => {
    for (const who of ['hq-handler', 'cw-admin', 'student-xx']) {
      expect((await done(who)).items, who).to.deep.equal([]);
      expect((await copied(who)).items, who).to.deep.equal([]);
      const c = await counts(who);
      expect([c.done, c.copied, c.todo.overdue], who).to.deep.equal([0, 0, 0]);
    }
  });

  it('抄送: the copied people see the application in their list and count; the one who copied does not; claims and copies are not done', async () => {
    const a = await apply(t, itemB);
    const taskId = a.currentTasks[0]!.id;
    expect((await act(t, 'cw-handler', taskId, 'claim')).status).to.equal(200);
    clock.advanceSeconds(60);
    const copy = await act(t, 'cw-handler', taskId, 'copy', { people: ['2024120202', 'T0602'] });
    expect(copy.status).to.equal(200);
    const copiedAt = clock.now().toISOString();
    clock.advanceSeconds(60);
    // copied again to one of them: still one line, from the first copy
    expect((await act(t, 'cw-handler', taskId, 'copy', { people: ['T0602'] })).status).to.equal(200);
    for (const who of ['student-hk', 'hq-handler']) {
      const list = await copied(who);
      expect(list.items, who).to.deep.equal([
        {
          applicationId: a.id,
          caseNumber: a.caseNumber,
          serviceItem: { id: itemB, code: 'CW-DONEB', name: list.items[0]!.serviceItem.name },
          state: 'in_progress',
          applicantId: '2024110101',
          copiedAt,
          copiedBy: 'T0302',
        },
      ]);
      expect((await counts(who)).copied, who).to.equal(1);
      expect((await copied(who, q({ state: 'in_progress', itemId: itemB }))).items, who).to.have.length(1);
      expect((await copied(who, q({ state: 'completed' }))).items, who).to.deep.equal([]);
      expect((await copied(who, q({ itemId: itemA }))).items, who).to.deep.equal([]);
      expect((await copied(who, q({ caseNumber: a.caseNumber }))).items, who).to.have.length(1);
      expect((await copied(who, q({ from: clock.now().toISOString() }))).items, who).to.deep.equal([]);
    }
    expect((await copied('cw-handler')).items).to.deep.equal([]);
    const c = await counts('cw-handler');
    expect(c.done, 'a claim and a copy are not done').to.equal(3);
    expect(c.copied).to.equal(0);
    expect((await done('cw-handler')).items).to.have.length(3);
  });

  it('the counts match the lists and the inbox; ten days on, the open tasks past due are counted overdue', async () => {
    // one more application waits unclaimed in the finance pool
    await apply(t, itemA);
    const before = await counts('cw-handler');
    const todo = (await as(t, 'cw-handler').get('/api/v1/me/todo-count')).body as {
      assigned: number;
      claimable: number;
      total: number;
    };
    expect(before).to.deep.equal({ todo: { ...todo, overdue: 0 }, done: 3, copied: 0 });
    expect(before.todo).to.deep.include({ assigned: 1, claimable: 1, total: 2 });
    const inbox = (await as(t, 'cw-handler').get('/api/v1/me/tasks')).body as { items: unknown[] };
    expect(inbox.items).to.have.length(before.todo.total);
    // the two approved applications wait at the countersign of T0101 and T0102
    expect((await counts('jw-handler')).todo).to.deep.include({ assigned: 2, overdue: 0 });

    clock.advanceDays(10);
    t.forgetLogins();
    expect((await counts('cw-handler')).todo).to.deep.equal({ assigned: 1, claimable: 1, total: 2, overdue: 2 });
    expect((await counts('jw-handler')).todo).to.deep.include({ assigned: 2, overdue: 2 });
    expect((await counts('hq-handler')).todo.overdue).to.equal(0);
  });

  it('the migration backfills 抄送 from the history: undone and done again, the copies are the same rows', async () => {
    const rows = () => t.db.knex('application_copies').orderBy(['application_id', 'person_id']);
    const before = await rows();
    expect(before.map((r: { person_id: string }) => r.person_id)).to.deep.equal(['2024120202', 'T0602']);
    const [, undone] = (await t.db.knex.migrate.down(migrationConfig())) as [number, string[]];
    expect(undone).to.deep.equal(['20261210000300_handler_lists']);
    await t.db.knex.migrate.latest(migrationConfig());
    expect(await rows()).to.deep.equal(before);
    expect((await copied('student-hk')).items).to.have.length(1);
  });
});
