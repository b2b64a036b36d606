import { expect } from 'chai';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Middleware } from 'openapi-fetch';
import { bearer, createHallClient, type HallClient, type Schemas } from '../../clients/portal/index.js';
import { DEMO_PASSWORD } from '../../src/adapters/driving/seed/demo-people.js';
import { claimViolation } from '../fixtures/response-watch.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { goodForm, reimbursement } from './application-helpers.js';
import { onlineItem } from './lifecycle-helpers.js';

/** A response that broke the OpenAPI document fails the call that received it. */
const contract: Middleware = {
  onResponse({ response }) {
    const violation = claimViolation(response.headers.get('x-request-id'));
    if (violation) throw new Error(`response contract: ${violation}`);
  },
};

describe('the typed portal client (e2e, a listening server)', () => {
  let t: TestApp;
  let server: Server;
  let baseUrl: string;
  let itemId: string;

  before(async () => {
    t = await createTestApp();
    itemId = (await onlineItem(t, 'CW-PORTAL', reimbursement('any'))).itemId;
    server = t.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  async function signedIn(username: string): Promise<HallClient> {
    const hall = createHallClient(baseUrl);
    hall.use(contract);
    const { data, error } = await hall.POST('/api/v1/auth/login', { body: { username, password: DEMO_PASSWORD } });
    if (!data) throw new Error(`login ${username}: ${JSON.stringify(error)}`);
    hall.use(bearer(data.token));
    return hall;
  }

  it('signs in, applies for an item from the catalogue, and reads its progress', async () => {
    const student = await signedIn('student-xx');
    const catalogue = await student.GET('/api/v1/catalogue', { params: { query: { limit: 50 } } });
    const entry = catalogue.data?.items.find((i) => i.id === itemId);
    expect(entry?.nodes.map((n) => n.kind)).to.deep.equal(['start', 'review', 'approve', 'complete']);

    const applied = await student.POST('/api/v1/applications', {
      body: { itemId, form: goodForm },
      headers: { 'Idempotency-Key': 'portal-client-1' },
    });
    expect(applied.response.status).to.equal(201);
    const application: Schemas['ApplicationView'] = applied.data!;
    expect(application).to.include({ state: 'in_progress', activeNode: 'check', itemId });

    const progress = await student.GET('/api/v1/applications/{applicationId}', {
      params: { path: { applicationId: application.id } },
    });
    expect(progress.data?.caseNumber).to.equal(application.caseNumber);
    expect(progress.data?.history.map((h) => h.action)).to.include('submitted');
    expect(progress.data?.currentTasks.map((task) => ({ node: task.node, status: task.status }))).to.deep.equal([
      { node: 'check', status: 'open' },
    ]);

    const mine = await student.GET('/api/v1/applications', { params: { query: { limit: 10 } } });
    expect(mine.data?.items.map((s) => s.id)).to.include(application.id);
  });

  it('a handler works the task through the client (claim, give back, claim, approve); problems arrive typed as Problem documents', async () => {
    const student = await signedIn('student-xx');
    const handler = await signedIn('cw-handler');
    const { data: application } = await student.POST('/api/v1/applications', { body: { itemId, form: goodForm } });
    const taskId = application!.currentTasks[0]!.id;

    const claimed = await handler.POST('/api/v1/tasks/{taskId}/claim', { params: { path: { taskId } } });
    expect(claimed.data?.currentTasks[0]?.assignee).to.equal('T0302');
    const given = await handler.POST('/api/v1/tasks/{taskId}/unclaim', { params: { path: { taskId } } });
    expect(given.data?.currentTasks[0])
      .to.include({ assignee: null })
      .and.to.have.deep.property('candidate', { role: 'handler', unit: 'finance' });
    await handler.POST('/api/v1/tasks/{taskId}/claim', { params: { path: { taskId } } });
    const again = await handler.POST('/api/v1/tasks/{taskId}/claim', { params: { path: { taskId } } });
    expect(again.response.status).to.equal(409);
    expect(again.error?.code).to.equal('TASK.ALREADY_CLAIMED');

    const approved = await handler.POST('/api/v1/tasks/{taskId}/approve', {
      params: { path: { taskId } },
      body: { comment: '票据齐全' },
    });
    expect(approved.data?.activeNode).to.equal('sign');

    const missing = await student.GET('/api/v1/applications/{applicationId}', {
      params: { path: { applicationId: '00000000-0000-4000-8000-000000000000' } },
    });
    expect(missing.response.status).to.equal(404);
    expect(missing.error).to.include({ status: 404, code: 'APPLICATION.NOT_FOUND' });
    expect(t.contractViolations()).to.deep.equal([]);
  });
});
