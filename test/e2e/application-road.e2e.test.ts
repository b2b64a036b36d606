import { expect } from 'chai';
import pino from 'pino';
import { seedDemoServiceItems } from '../../src/adapters/composition/demo.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { as } from './lifecycle-helpers.js';
import { act, apply, type AppBody } from './application-helpers.js';

interface Person {
  id: string;
  name: string;
}
interface RoadBody {
  state: string;
  path: Array<{
    node: string;
    outcome: string;
    at: string;
    reason?: string;
    actors: Array<Person & { outcome: string; at: string | null }>;
  }>;
  current: Array<{ node: string }>;
  ahead: Array<{
    node: string;
    kind: string;
    status: string;
    reason?: string;
    from: string[];
    handlers: { kind: string; role: string | null; unit: string | null; people: Person[] } | null;
  }>;
}
interface DiagramBody {
  nodes: Array<{ key: string; kind: string; state: string; x: number; y: number; width: number; height: number }>;
  edges: Array<{ from: string; to: string; taken: boolean; ahead: boolean; waypoints: unknown[] }>;
  width: number;
  height: number;
}

/** The road of an application (path taken, road ahead with handlers) and its diagram, over the demo items. */
describe('the road ahead and the diagram of an application (e2e)', () => {
  let t: TestApp;
  let ids: Record<string, string>;
  before(async () => {
    t = await createTestApp();
    await seedDemoServiceItems(t.container, pino({ level: 'silent' }));
    const cat = await as(t, 'student-xx').get('/api/v1/catalogue');
    ids = Object.fromEntries(cat.body.items.map((i: { code: string; id: string }) => [i.code, i.id]));
  });
  after(async () => {
    await t.close();
  });

  const road = async (id: string, who: string): Promise<RoadBody> => {
    const res = await as(t, who).get(`/api/v1/applications/${id}/road`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body as RoadBody;
  };
  const diagram = async (id: string, who: string): Promise<DiagramBody> => {
    const res = await as(t, who).get(`/api/v1/applications/${id}/diagram`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body as DiagramBody;
  };
  const leave = (days: number, leavesCity: boolean) => ({
    from: '2026-12-01',
    to: '2026-12-10',
    days,
    reason: '回家',
    leaves_city: leavesCity,
  });
  const statusOf = (r: RoadBody) => r.ahead.map((s) => `${s.node}:${s.status}`);
  /** Claims pool tasks and approves until the application leaves the given node. */
  async function pass(a: AppBody, who: string, node: string): Promise<AppBody> {
    for (const task of a.currentTasks.filter((x) => x.node === node)) {
      if (task.assignee === null) await act(t, who, task.id, 'claim');
      a = (await act(t, who, task.id, 'approve')).body;
    }
    return a;
  }

  it('学生请假, 2 days in town: deputy and filing are skipped ahead; the completion goes to the counselor pool, named; the applicant sees it too', async () => {
    const a = await apply(t, ids['XG-QJ']!, 'student-xx', { ...leave(2, false), to: '2026-12-02' });
    const r = await road(a.id, 'student-xx');
    expect(r.state).to.equal('in_progress');
    expect(r.current.map((c) => c.node)).to.deep.equal(['counselor']);
    expect(statusOf(r)).to.deep.equal(['deputy:skipped', 'filing:skipped', 'done:ahead']);
    expect(r.ahead[0]).to.include({ reason: 'condition not met' });
    expect(r.ahead[0]!.handlers, 'a step passed by goes to nobody').to.equal(null);
    expect(r.ahead[2]!.handlers).to.deep.equal({
      kind: 'pool',
      role: 'counselor',
      unit: 'college-info',
      people: [{ id: 'T0402', name: '何辅导', substituteFor: null }],
    });
    expect(r.path.map((s) => `${s.node}:${s.outcome}`)).to.deep.equal(['apply:submitted']);
    expect(r.path[0]!.actors[0]).to.include({ id: '2024110101', name: '张三' });
    // the counselor reads the same road; after the counselor approved, the path says who, and nothing but done is ahead
    const passed = await pass(a, 'xx-counselor', 'counselor');
    const after = await road(passed.id, 'xx-counselor');
    expect(after.path.map((s) => `${s.node}:${s.outcome}`)).to.deep.equal([
      'apply:submitted',
      'counselor:approved',
      'deputy:skipped',
      'filing:skipped',
    ]);
    expect(after.path[1]!.actors).to.deep.include({
      id: 'T0402',
      name: '何辅导',
      outcome: 'approved',
      at: after.path[1]!.actors[0]!.at,
    });
    expect(after.path[2]).to.include({ reason: 'condition not met' });
    expect(after.current.map((c) => c.node)).to.deep.equal(['done']);
    expect(after.ahead).to.deep.equal([]);
    const done = await pass(passed, 'xx-counselor', 'done');
    expect(done.state).to.equal('completed');
    const ended = await road(a.id, 'student-xx');
    expect(ended.ahead, 'nothing ahead once completed').to.deep.equal([]);
    expect(ended.path.at(-1)).to.include({ node: 'done', outcome: 'approved' });
  });

  it('学生请假, 10 days out of town: the deputy and the filing are ahead, with their handlers', async () => {
    const a = await apply(t, ids['XG-QJ']!, 'student-hk', leave(10, true));
    const r = await road(a.id, 'student-hk');
    expect(statusOf(r)).to.deep.equal(['deputy:ahead', 'filing:ahead', 'done:ahead']);
    const by = Object.fromEntries(r.ahead.map((s) => [s.node, s.handlers]));
    expect(by.deputy).to.deep.include({ kind: 'pool', role: 'college-deputy-secretary', unit: 'college-marine' });
    expect(by.deputy!.people.map((p) => p.name)).to.deep.equal(['朱书记']);
    expect(by.filing).to.deep.include({ kind: 'pool', role: 'handler', unit: 'student-affairs' });
    expect(by.filing!.people.length).to.be.greaterThan(0);
    expect(by.done!.people.map((p) => p.id)).to.deep.equal(['T0502']);
    expect(r.ahead.map((s) => s.from)).to.deep.equal([['counselor'], ['deputy'], ['filing']]);
  });

  it('学生退宿: both branches ahead with their handlers; after one branch is approved it is passed and the other active', async () => {
    const moveOut = { room: '5-302', move_out_on: '2027-01-15', reason: '毕业' };
    let a = await apply(t, ids['HQ-TS']!, 'student-xx', moveOut);
    const first = await road(a.id, 'student-xx');
    expect(statusOf(first)).to.deep.equal([
      'checks:ahead',
      'inspect:ahead',
      'settle:ahead',
      'checked:ahead',
      'done:ahead',
    ]);
    const by = Object.fromEntries(first.ahead.map((s) => [s.node, s.handlers]));
    expect(by.checks, 'a gateway has no handlers').to.equal(null);
    expect(by.inspect).to.deep.include({ kind: 'pool', role: 'handler', unit: 'logistics' });
    expect(by.inspect!.people).to.deep.equal([{ id: 'T0602', name: '高后勤', substituteFor: null }]);
    expect(by.settle).to.deep.include({ kind: 'pool', role: 'handler', unit: 'finance' });
    expect(by.settle!.people).to.deep.equal([{ id: 'T0302', name: '孙财务', substituteFor: null }]);
    expect(first.ahead.find((s) => s.node === 'checked')!.from.sort()).to.deep.equal(['inspect', 'settle']);

    const d0 = await diagram(a.id, 'student-xx');
    expect(d0.nodes.map((n) => n.key)).to.deep.equal([
      'apply',
      'counselor',
      'checks',
      'inspect',
      'settle',
      'checked',
      'done',
    ]);
    expect(Object.fromEntries(d0.nodes.map((n) => [n.key, n.state]))).to.deep.equal({
      apply: 'passed',
      counselor: 'active',
      checks: 'ahead',
      inspect: 'ahead',
      settle: 'ahead',
      checked: 'ahead',
      done: 'ahead',
    });

    a = await pass(a, 'xx-counselor', 'counselor');
    a = await pass(a, 'cw-handler', 'settle');
    expect(a.activeNodes).to.deep.equal(['inspect']);
    const r = await road(a.id, 'student-xx');
    expect(r.path.map((s) => `${s.node}:${s.outcome}`)).to.deep.equal([
      'apply:submitted',
      'counselor:approved',
      'settle:approved',
    ]);
    expect(r.path[2]!.actors.map((x) => x.name)).to.deep.equal(['孙财务']);
    expect(r.current.map((c) => c.node)).to.deep.equal(['inspect']);
    expect(statusOf(r)).to.deep.equal(['checked:waiting', 'done:ahead']);

    const d = await diagram(a.id, 'student-xx');
    const state = Object.fromEntries(d.nodes.map((n) => [n.key, n.state]));
    expect(state).to.deep.equal({
      apply: 'passed',
      counselor: 'passed',
      checks: 'passed',
      inspect: 'active',
      settle: 'passed',
      checked: 'waiting',
      done: 'ahead',
    });
    // positions from the layered layout: one column per longest path, the branches one above the other
    const at = Object.fromEntries(d.nodes.map((n) => [n.key, n]));
    const centre = (k: string) => at[k]!.x + at[k]!.width / 2;
    expect(['apply', 'counselor', 'checks', 'inspect', 'checked', 'done'].map(centre)).to.satisfy((xs: number[]) =>
      xs.every((x, i) => i === 0 || x > xs[i - 1]!),
    );
    expect(centre('inspect')).to.equal(centre('settle'));
    expect(at.inspect!.y).to.be.lessThan(at.settle!.y);
    expect(at.checks).to.include({ width: 50, height: 50 });
    expect(d.width).to.be.greaterThan(at.done!.x);
    const edge = (from: string, to: string) => d.edges.find((e) => e.from === from && e.to === to)!;
    expect(edge('settle', 'checked')).to.include({ taken: true, ahead: false });
    expect(edge('inspect', 'checked')).to.include({ taken: false, ahead: true });
    expect(edge('checks', 'inspect')).to.include({ taken: true });
    expect(d.edges).to.have.length(7);
  });

  it('a stranger gets 403 on the road and the diagram; an unknown application 404', async () => {
    const a = await apply(t, ids['XG-QJ']!, 'student-xx', leave(2, false));
    for (const what of ['road', 'diagram']) {
      const stranger = await as(t, 'student-hk').get(`/api/v1/applications/${a.id}/${what}`);
      expect(stranger.status, what).to.equal(403);
      expect(stranger.body.code).to.equal('AUTH.FORBIDDEN');
      const missing = await as(t, 'student-xx').get(
        `/api/v1/applications/00000000-0000-4000-8000-000000000000/${what}`,
      );
      expect(missing.status, what).to.equal(404);
    }
    // whoever reads the progress reads the road: the auditor
    expect((await road(a.id, 'auditor')).ahead.length).to.equal(3);
  });
});
