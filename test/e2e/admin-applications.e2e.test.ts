import { expect } from 'chai';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { as, onlineItem } from './lifecycle-helpers.js';
import { act, apply, progress, reimbursement, type AppBody, type ProgressBody } from './application-helpers.js';

interface Line {
  id: string;
  caseNumber: string | null;
  applicant: { id: string; name: string | null; unit: string };
  state: string;
  activeNodes: Array<{ key: string; name: string | null }>;
  submittedAt: string;
  updatedAt: string;
  endedAt: string | null;
}
interface LinePage {
  items: Line[];
  nextCursor: string | null;
}

const XX = '2024110101';
const HK = '2024120202';

describe("the owning unit's admins and the IT Office manage an item's applications (e2e)", () => {
  let t: TestApp;
  let itemId: string;
  before(async () => {
    t = await createTestApp();
    itemId = (await onlineItem(t, 'CW-ADM', reimbursement('any'))).itemId;
  });
  after(async () => {
    await t.close();
  });

  const search = (who: string, query = '', item = itemId) =>
    as(t, who).get(`/api/v1/service-items/${item}/applications${query ? `?${query}` : ''}`);
  const ids = async (query: string): Promise<string[]> => {
    const res = await search('cw-admin', query);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return (res.body as LinePage).items.map((l) => l.id);
  };
  /** An application claimed by cw-handler at the finance check. */
  const atCheck = async (who = 'student-xx'): Promise<AppBody> => {
    const a = await apply(t, itemId, who);
    return (await act(t, 'cw-handler', a.currentTasks[0]!.id, 'claim')).body as AppBody;
  };
  const cancel = (who: string, applicationId: string, body: unknown = { reason: '申请人已离校，无法继续办理' }) =>
    as(t, who).post(`/api/v1/applications/${applicationId}/admin-cancellation`, body);
  const reassign = (who: string, taskId: string, body: unknown) =>
    as(t, who).post(`/api/v1/tasks/${taskId}/reassignment`, body);

  describe('search', () => {
    let mine: AppBody;
    let theirs: AppBody;
    let signing: AppBody;
    let all: Line[];
    before(async () => {
      mine = await apply(t, itemId, 'student-xx');
      theirs = await apply(t, itemId, 'student-hk');
      signing = await atCheck();
      signing = (await act(t, 'cw-handler', signing.currentTasks[0]!.id, 'approve')).body as AppBody;
      // a draft is the applicant's own: never listed
      await as(t, 'student-xx').post('/api/v1/applications', {
        itemId,
        form: { amount: 1, purpose: '草稿' },
        submit: false,
      });
      all = ((await search('cw-admin', 'limit=200')).body as LinePage).items;
    });

    it('lists every submitted application, newest submission first; a line names the applicant and the active node, with no form', () => {
      expect(all.map((l) => l.id).slice(0, 3)).to.deep.equal([signing.id, theirs.id, mine.id]);
      expect(all.every((l) => l.state !== 'draft')).to.equal(true);
      const sorted = [...all].sort((a, b) =>
        a.submittedAt < b.submittedAt ? 1 : a.submittedAt > b.submittedAt ? -1 : 0,
      );
      expect(all.map((l) => l.submittedAt)).to.deep.equal(sorted.map((l) => l.submittedAt));
      const line = all.find((l) => l.id === theirs.id)!;
      expect(line).to.deep.include({
        caseNumber: theirs.caseNumber,
        applicant: { id: HK, name: '李四', unit: 'college-marine' },
        state: 'in_progress',
        activeNodes: [{ key: 'check', name: '财务审核' }],
        endedAt: null,
      });
      expect(line).to.have.keys([
        'id',
        'caseNumber',
        'applicant',
        'state',
        'activeNodes',
        'submittedAt',
        'updatedAt',
        'endedAt',
      ]);
      expect(all.find((l) => l.id === signing.id)!.activeNodes).to.deep.equal([{ key: 'sign', name: '教务会签' }]);
    });

    it('filters by applicant, state, active node, case number (exact or prefix) and submission time', async () => {
      expect(await ids(`applicant=${HK}`)).to.deep.equal([theirs.id]);
      expect(await ids('node=sign')).to.deep.equal([signing.id]);
      expect(await ids(`caseNumber=${encodeURIComponent(theirs.caseNumber)}`)).to.deep.equal([theirs.id]);
      const prefix = theirs.caseNumber.slice(0, -1);
      expect(await ids(`caseNumber=${encodeURIComponent(prefix)}`)).to.include(theirs.id);
      expect(
        (await ids(`caseNumber=${encodeURIComponent(prefix)}`)).every((id) =>
          all.find((l) => l.id === id)!.caseNumber!.startsWith(prefix),
        ),
      ).to.equal(true);
      expect(await ids('caseNumber=1999-')).to.deep.equal([]);
      const inProgress = all.filter((l) => l.state === 'in_progress').map((l) => l.id);
      expect(await ids('state=in_progress')).to.deep.equal(inProgress);
      const from = all.find((l) => l.id === theirs.id)!.submittedAt;
      const to = all.find((l) => l.id === signing.id)!.submittedAt;
      expect(await ids(`submittedFrom=${from}`)).to.deep.equal(
        all.filter((l) => l.submittedAt >= from).map((l) => l.id),
      );
      expect(await ids(`submittedFrom=${from}&submittedTo=${to}`)).to.deep.equal(
        all.filter((l) => l.submittedAt >= from && l.submittedAt < to).map((l) => l.id),
      );
      expect(await ids(`submittedFrom=${from}&submittedTo=${to}`)).to.include(theirs.id);
    });

    it('pages with a cursor bound to the filters: pages join up; a tampered cursor, or one used with other filters, is a 400 naming cursor', async () => {
      const first = (await search('cw-admin', 'limit=2')).body as LinePage;
      expect(first.items.map((l) => l.id)).to.deep.equal(all.slice(0, 2).map((l) => l.id));
      expect(first.nextCursor).to.be.a('string');
      const second = await search('cw-admin', `limit=2&cursor=${first.nextCursor}`);
      expect(second.status).to.equal(200);
      expect((second.body as LinePage).items.map((l) => l.id)).to.deep.equal(all.slice(2, 4).map((l) => l.id));

      const key = (JSON.parse(Buffer.from(first.nextCursor!, 'base64url').toString('utf8')) as { k: string }).k;
      const [at, id, bound] = key.split('|') as [string, string, string];
      const forged = (k: string) => Buffer.from(JSON.stringify({ k })).toString('base64url');
      const tampered = [
        forged(`${at}|${id}|${bound.slice(0, -1)}${bound.endsWith('A') ? 'B' : 'A'}`),
        forged(`${at}|${id}`),
        forged(`2026-02-31T00:00:00.000Z|${id}|${bound}`),
        '%%%not-a-cursor%%%',
      ];
      for (const cursor of tampered) {
        const res = await search('cw-admin', `limit=2&cursor=${encodeURIComponent(cursor)}`);
        expect(res.status, cursor).to.equal(400);
        expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
        expect(res.body.code).to.equal('PAGINATION.BAD_CURSOR');
        expect(res.body.errors.map((e: { in: string; path: string }) => [e.in, e.path])).to.deep.equal([
          ['query', '/cursor'],
        ]);
      }
      const otherFilters = await search('cw-admin', `limit=2&state=in_progress&cursor=${first.nextCursor}`);
      expect(otherFilters.status).to.equal(400);
      expect(otherFilters.body.code).to.equal('PAGINATION.BAD_CURSOR');
    });

    it('bad filters are a 400 naming each of them', async () => {
      const res = await search('cw-admin', 'state=draft&submittedFrom=yesterday&node=Not%20a%20key');
      expect(res.status).to.equal(400);
      expect(res.body.errors.map((e: { path: string }) => e.path).sort()).to.deep.equal([
        '/node',
        '/state',
        '/submittedFrom',
      ]);
    });

    it('the IT Office searches every item; an admin of another unit or of an involved unit, a handler and a student are refused', async () => {
      expect((await search('it-officer')).status).to.equal(200);
      for (const who of ['hq-admin', 'jw-admin', 'cw-handler', 'student-xx', 'auditor']) {
        const res = await search(who);
        expect(res.status, who).to.equal(403);
        expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
      }
      expect((await search('cw-admin', '', '00000000-0000-4000-8000-000000000000')).status).to.equal(404);
    });
  });

  describe('撤销 by an admin', () => {
    it("the owning unit's admin cancels: the applicant sees it cancelled, with the reason and the admin in its history, and is told", async () => {
      const a = await atCheck();
      const res = await cancel('cw-admin', a.id);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.deep.include({ state: 'cancelled', activeNode: null, currentTasks: [], form: {} });
      const seen = (await as(t, 'student-xx').get(`/api/v1/applications/${a.id}`)).body as ProgressBody;
      expect(seen.state).to.equal('cancelled');
      expect(seen.history.at(-1)).to.deep.include({
        action: 'cancelled',
        actor: 'T0301',
        comment: '申请人已离校，无法继续办理',
        detail: { byAdmin: true },
      });
      const messages = (await as(t, 'student-xx').get('/api/v1/me/messages')).body as {
        items: Array<{ kind: string; applicationId: string; body: string }>;
      };
      const told = messages.items.find((m) => m.kind === 'application.cancelled-by-admin' && m.applicationId === a.id);
      expect(told?.body).to.include('申请人已离校');
      // the handler's task is gone from their inbox
      const inbox = (await as(t, 'cw-handler').get('/api/v1/me/tasks?limit=200')).body as {
        items: Array<{ applicationId: string }>;
      };
      expect(inbox.items.map((i) => i.applicationId)).to.not.include(a.id);
    });

    it('the IT Office cancels a returned one; an ended one is 409 NOT_CANCELLABLE', async () => {
      const a = await atCheck();
      const returned = await act(t, 'cw-handler', a.currentTasks[0]!.id, 'return', {
        target: 'applicant',
        comment: '请补充',
      });
      expect(returned.body.state).to.equal('returned');
      expect((await cancel('it-officer', a.id)).status).to.equal(200);
      const again = await cancel('cw-admin', a.id);
      expect(again.status).to.equal(409);
      expect(again.body.code).to.equal('APPLICATION.NOT_CANCELLABLE');
    });

    it('a handler, an admin of another unit and the applicant are refused (403); no reason is a 400; nothing changes', async () => {
      const a = await atCheck();
      for (const who of ['cw-handler', 'hq-admin', 'jw-admin', 'student-xx']) {
        const res = await cancel(who, a.id);
        expect(res.status, who).to.equal(403);
      }
      for (const body of [{}, { reason: '' }, { reason: '   ' }, { reason: 'x'.repeat(501) }]) {
        const res = await cancel('cw-admin', a.id, body);
        expect(res.status, JSON.stringify(body)).to.equal(400);
        expect(res.body.errors.map((e: { path: string }) => e.path)).to.deep.equal(['/reason']);
      }
      expect((await progress(t, a.id)).state).to.equal('in_progress');
    });
  });

  describe('改派', () => {
    it('the task goes to the new holder: in their inbox, out of the old one’s, with the history and a message', async () => {
      const a = await atCheck();
      const task = a.currentTasks[0]!.id;
      const res = await reassign('cw-admin', task, { to: 'T0102', reason: '原经办人出差' });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.currentTasks[0]).to.deep.include({ id: task, assignee: 'T0102', candidate: null });
      const inbox = async (who: string) =>
        ((await as(t, who).get('/api/v1/me/tasks?limit=200')).body as { items: Array<{ taskId: string }> }).items.map(
          (i) => i.taskId,
        );
      expect(await inbox('jw-handler')).to.include(task);
      expect(await inbox('cw-handler')).to.not.include(task);
      const history = (await progress(t, a.id)).history;
      expect(history.at(-1)).to.deep.include({
        action: 'reassigned',
        actor: 'T0301',
        detail: { from: 'T0302', to: 'T0102', reason: '原经办人出差' },
      });
      const messages = (await as(t, 'jw-handler').get('/api/v1/me/messages')).body as {
        items: Array<{ kind: string; taskId: string | null }>;
      };
      expect(messages.items.some((m) => m.kind === 'task.reassigned' && m.taskId === task)).to.equal(true);
      expect((await act(t, 'cw-handler', task, 'approve')).status).to.equal(403);
      expect((await act(t, 'jw-handler', task, 'approve')).status).to.equal(200);
    });

    it('an unclaimed pool task becomes the named person’s (the IT Office reassigns too)', async () => {
      const a = await apply(t, itemId);
      const task = a.currentTasks[0]!.id;
      const res = await reassign('it-officer', task, { to: 'T0301', reason: '无人认领' });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.currentTasks[0]).to.deep.include({ assignee: 'T0301', candidate: null });
    });

    it('a handled task is 409; a handler or another unit’s admin is 403; a `to` who is not active staff or is the applicant is 400 naming /to', async () => {
      const a = await atCheck();
      const task = a.currentTasks[0]!.id;
      for (const who of ['cw-handler', 'hq-admin', 'jw-admin', 'student-xx']) {
        expect((await reassign(who, task, { to: 'T0102', reason: '调整' })).status, who).to.equal(403);
      }
      for (const to of [HK, XX, 'nobody']) {
        const res = await reassign('cw-admin', task, { to, reason: '调整' });
        expect(res.status, to).to.equal(400);
        expect(
          res.body.errors.map((e: { path: string }) => e.path),
          to,
        ).to.deep.equal(['/to']);
      }
      const missing = await reassign('cw-admin', task, { to: 'T0102' });
      expect(missing.status).to.equal(400);
      expect(missing.body.errors.map((e: { path: string }) => e.path)).to.deep.equal(['/reason']);
      expect((await progress(t, a.id)).currentTasks[0]).to.deep.include({ assignee: 'T0302' });
      expect((await act(t, 'cw-handler', task, 'approve')).status).to.equal(200);
      const handled = await reassign('cw-admin', task, { to: 'T0102', reason: '调整' });
      expect(handled.status).to.equal(409);
      expect(handled.body.code).to.equal('TASK.ALREADY_HANDLED');
    });
  });
});
