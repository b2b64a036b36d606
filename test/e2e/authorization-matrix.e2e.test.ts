import { expect } from 'chai';
import request from 'supertest';
import { describeApi } from '../../src/adapters/driving/http/api-document.js';
import { DEMO_PASSWORD } from '../../src/adapters/driving/seed/demo-people.js';
import { onePagePdf } from '../fixtures/attachment-files.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { as, application, definition, definitionBpmn, type Method } from './lifecycle-helpers.js';
import { type AppBody } from './application-helpers.js';
import {
  ACTOR_KINDS,
  ACTORS,
  AUTHORIZATION_MATRIX,
  OK,
  type ActorKind,
  type Expected,
  type OperationId,
} from './authorization-matrix.js';

type Paths = Record<string, Record<string, { operationId: string }>>;

/** Every operationId of the OpenAPI document. */
function documentedOperations(): string[] {
  return Object.values(describeApi().paths as Paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
}

/** A request of one cell: method, path, body (JSON, or a raw file with its type), and whose session it carries. */
interface Call {
  method: Method;
  path: string;
  body?: unknown;
  file?: { type: string; content: Buffer };
}

/**
 * How one operation is reached. `call` builds the request from a context; the context is
 * `shared()` for every cell expected to be refused (they change nothing) and for read-only
 * operations, or a `fresh()` one per allowed cell where the operation changes what it acts on.
 */
interface Reach<C> {
  shared: () => Promise<C>;
  fresh?: () => Promise<C>;
  call: (ctx: C, actor: ActorKind) => Call;
  /** A session of its own per cell (logout ends the session it is called with). */
  ownSession?: boolean;
}
const reach = <C>(r: Reach<C>): Reach<unknown> => r as Reach<unknown>;

describe('the authorization matrix: every operation × every demo actor kind, on a real server (e2e)', function () {
  let t: TestApp;
  let seq = 0;
  const next = () => String(++seq).padStart(3, '0');
  const once = <C>(build: () => Promise<C>) => {
    let p: Promise<C> | undefined;
    return () => (p ??= build());
  };

  before(async () => {
    t = await createTestApp();
  });
  after(async () => {
    await t.close();
  });

  const must = async (res: request.Response | Promise<request.Response>, status: number, what: string) => {
    const r = await res;
    if (r.status !== status) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
    return r;
  };

  // ---- service items in every state an operation acts on (finance owns them, academic-affairs is involved)
  const pendingItem = async () => {
    const r = await must(
      as(t, 'cw-admin').post('/api/v1/service-items', { ...application, code: `CW-P${next()}` }),
      201,
      'apply',
    );
    return { itemId: r.body.id as string };
  };
  const rejectedItem = async () => {
    const { itemId } = await pendingItem();
    await must(
      as(t, 'xb-officer').post(`/api/v1/service-items/${itemId}/rejections`, { reason: '材料不全' }),
      200,
      'reject',
    );
    return { itemId };
  };
  const draftItem = async () => {
    const { itemId } = await pendingItem();
    await must(as(t, 'xb-officer').post(`/api/v1/service-items/${itemId}/approvals`), 200, 'approve xb');
    await must(as(t, 'it-officer').post(`/api/v1/service-items/${itemId}/approvals`), 200, 'approve it');
    return { itemId };
  };
  const definedItem = async (def: unknown = definition()) => {
    const { itemId } = await draftItem();
    const v = await must(as(t, 'cw-admin').put(`/api/v1/service-items/${itemId}/draft/definition`, def), 200, 'define');
    return { itemId, versionId: v.body.id as string };
  };
  const launchableItem = async (def?: unknown) => {
    const ids = await definedItem(def);
    const confirm = `/api/v1/service-items/${ids.itemId}/versions/${ids.versionId}/confirmations`;
    await must(as(t, 'cw-admin').post(confirm), 200, 'confirm finance');
    await must(as(t, 'jw-admin').post(confirm), 200, 'confirm academic-affairs');
    return ids;
  };
  const onlineItem = async (def?: unknown) => {
    const ids = await launchableItem(def);
    await must(
      as(t, 'cw-admin').post(`/api/v1/service-items/${ids.itemId}/versions/${ids.versionId}/launch`),
      200,
      'launch',
    );
    return ids;
  };
  /** A filing by finance's admin of a new finance handler, waiting for the IT Office. */
  const roleFiling = async () => {
    const subject = `T7${String(next()).padStart(3, '0')}`;
    await t.db
      .knex('people')
      .insert({ id: subject, name: '新进人员', type: 'staff', unit_key: 'finance', status: 'active' });
    const r = await must(
      as(t, 'cw-admin').post('/api/v1/role-filings', { subject, role: 'handler', unit: 'finance', reason: '新进' }),
      201,
      'file a role',
    );
    return { filingId: r.body.id as string, subject };
  };
  /** A change request of a new online finance item, waiting for the IT Office. */
  const changeRequest = async () => {
    const { itemId } = await onlineItem();
    const r = await must(
      as(t, 'cw-admin').post(`/api/v1/service-items/${itemId}/change-requests`, {
        reason: '调整',
        needs: [{ aspect: 'form', description: '增加字段' }],
      }),
      201,
      'file a change request',
    );
    return { requestId: r.body.id as string };
  };
  /** The item applications go to: the check step is offered to the finance handlers' pool. */
  const item = once(() => onlineItem());
  /** Same, but the check step is cw-handler's by name and needs every signer ('all'), so signers can be added after. */
  const signerItem = once(() => {
    const def = definition();
    def.nodes[1] = { ...def.nodes[1]!, handlers: { type: 'people', people: ['T0302'] }, mode: 'all' } as never;
    return onlineItem(def);
  });

  // ---- applications of student-xx
  const form = { amount: 320, purpose: '学术会议', invoice_no: 'INV-1' };
  const startApp = async (itemId: string, submit = true) => {
    const r = await must(
      as(t, 'student-xx').post('/api/v1/applications', { itemId, form, submit }),
      201,
      'start application',
    );
    return r.body as AppBody;
  };
  const pooledApp = async () => {
    const a = await startApp((await item()).itemId);
    return { applicationId: a.id, taskId: a.currentTasks[0]!.id };
  };
  /** In progress, its task claimed (held) by cw-handler. */
  const heldApp = async () => {
    const a = await pooledApp();
    await must(as(t, 'cw-handler').post(`/api/v1/tasks/${a.taskId}/claim`), 200, 'claim');
    return a;
  };
  /** cw-handler approved its step (the held task); the next step has not acted: cw-handler may take it back. */
  const approvedApp = async () => {
    const a = await heldApp();
    await must(as(t, 'cw-handler').post(`/api/v1/tasks/${a.taskId}/approve`), 200, 'approve');
    return a;
  };
  const draftApp = async () => ({ applicationId: (await startApp((await item()).itemId, false)).id });
  const completedApp = async () => {
    const { applicationId, taskId } = await heldApp();
    let a = (await must(as(t, 'cw-handler').post(`/api/v1/tasks/${taskId}/approve`), 200, 'check')).body as AppBody;
    const teaching = a.currentTasks[0]!.id;
    await must(as(t, 'jw-handler').post(`/api/v1/tasks/${teaching}/claim`), 200, 'claim teaching');
    a = (await must(as(t, 'jw-handler').post(`/api/v1/tasks/${teaching}/approve`), 200, 'teaching')).body as AppBody;
    a = (await must(as(t, 'cw-handler').post(`/api/v1/tasks/${a.currentTasks[0]!.id}/approve`), 200, 'pay'))
      .body as AppBody;
    if (a.state !== 'completed') throw new Error(`not completed: ${a.state}`);
    return { applicationId };
  };
  const followUp = async () => {
    const { applicationId } = await completedApp();
    const r = await must(
      as(t, 'student-xx').put(`/api/v1/applications/${applicationId}/evaluation`, { level: 1, comment: '太慢' }),
      200,
      'rate',
    );
    return { followUpId: r.body.followUp.id as string };
  };
  const delegatedApp = async () => {
    const a = await heldApp();
    await must(as(t, 'cw-handler').post(`/api/v1/tasks/${a.taskId}/delegate`, { to: 'T0301' }), 200, 'delegate');
    return a;
  };
  const signerApp = async () => {
    const a = await startApp((await signerItem()).itemId);
    const taskId = a.currentTasks[0]!.id;
    const r = await must(
      as(t, 'cw-handler').post(`/api/v1/tasks/${taskId}/add-signer`, { person: 'T0011', position: 'after' }),
      200,
      'add signer',
    );
    const signer = (r.body as AppBody).currentTasks.find((x) => x.assignee === 'T0011')!.id;
    return { taskId, signerTaskId: signer };
  };
  const withAttachment = once(async () => {
    const a = await heldApp();
    const r = await must(
      request(t.app)
        .post(`/api/v1/applications/${a.applicationId}/attachments?name=invoice.pdf`)
        .set('Authorization', `Bearer ${await t.login('student-xx')}`)
        .set('Content-Type', 'application/pdf')
        .send(await onePagePdf()),
      201,
      'upload',
    );
    return { ...a, attachmentId: r.body.id as string };
  });
  const printed = once(async () => {
    const { applicationId } = await completedApp();
    const r = await must(as(t, 'student-xx').post(`/api/v1/applications/${applicationId}/printouts`), 201, 'print');
    return { applicationId, code: r.headers['x-verification-code'] as string };
  });
  /** A filing of an evaluation export, made by the President's Office. */
  const evaluationExport = async () => {
    const r = await must(
      as(t, 'xb-officer').post('/api/v1/evaluation-exports', { year: 2026, format: 'csv' }),
      201,
      'export evaluation',
    );
    return { exportId: (r.headers.location as string).split('/').pop()! };
  };
  /** A message to cw-handler: the applicant urged the task it holds. */
  const message = once(async () => {
    const a = await heldApp();
    await must(as(t, 'student-xx').post(`/api/v1/applications/${a.applicationId}/urge`), 200, 'urge');
    const r = await must(as(t, 'cw-handler').get('/api/v1/me/messages'), 200, 'messages');
    return { messageId: r.body.items[0].id as string };
  });

  const none = async () => ({});
  /** A signed checkpoint of the audit log as it is now: the consistency proofs lead to it. */
  const checkpoint = once(async () => {
    const r = await t.container.useCases.auditCheckpoints.publish();
    if (!r.ok) throw r.error;
    return { treeSize: r.value.checkpoint.treeSize };
  });
  const appPath =
    (suffix = '') =>
    (c: { applicationId: string }) =>
      `/api/v1/applications/${c.applicationId}${suffix}`;
  const task = (
    action: string,
    body?: (c: { signerTaskId?: string }) => unknown,
    fresh: () => Promise<{ taskId: string; signerTaskId?: string }> = heldApp,
  ) =>
    reach<{ taskId: string; signerTaskId?: string }>({
      shared: once(fresh),
      fresh,
      call: (c) => ({ method: 'post', path: `/api/v1/tasks/${c.taskId}/${action}`, body: body?.(c) }),
    });

  /** How every operation of the document is reached; keyed like the matrix, so the compiler wants one per row. */
  const REACH: Record<OperationId, Reach<unknown>> = {
    metrics: reach({ shared: none, call: () => ({ method: 'get', path: '/metrics' }) }),
    healthz: reach({ shared: none, call: () => ({ method: 'get', path: '/healthz' }) }),
    readyz: reach({ shared: none, call: () => ({ method: 'get', path: '/readyz' }) }),
    printoutPublicKey: reach({ shared: none, call: () => ({ method: 'get', path: '/api/v1/verify/public-key' }) }),
    printoutPublicKeyPem: reach({
      shared: none,
      call: () => ({ method: 'get', path: '/api/v1/verify/public-key.pem' }),
    }),
    verifyPrintout: reach({ shared: printed, call: (c) => ({ method: 'get', path: `/api/v1/verify/${c.code}` }) }),
    casLogin: reach({ shared: none, call: () => ({ method: 'get', path: '/api/v1/auth/cas/login' }) }),
    casCallback: reach({
      shared: none,
      call: () => ({ method: 'get', path: '/api/v1/auth/cas/callback?ticket=ST-1' }),
    }),
    oidcLogin: reach({ shared: none, call: () => ({ method: 'get', path: '/api/v1/auth/oidc/login' }) }),
    oidcCallback: reach({
      shared: none,
      call: () => ({ method: 'get', path: '/api/v1/auth/oidc/callback?code=c&state=s' }),
    }),
    casSingleLogout: reach({
      shared: none,
      call: () => ({ method: 'post', path: '/api/v1/auth/cas/logout', body: { logoutRequest: '<x/>' } }),
    }),
    login: reach({
      shared: none,
      call: (_c, actor) => ({
        method: 'post',
        path: '/api/v1/auth/login',
        body: { username: ACTORS[actor] ?? 'student-xx', password: DEMO_PASSWORD },
      }),
    }),
    logout: reach({ shared: none, ownSession: true, call: () => ({ method: 'post', path: '/api/v1/auth/logout' }) }),
    me: reach({ shared: none, call: () => ({ method: 'get', path: '/api/v1/me' }) }),
    catalogue: reach({ shared: none, call: () => ({ method: 'get', path: '/api/v1/catalogue' }) }),
    listServiceItems: reach({ shared: none, call: () => ({ method: 'get', path: '/api/v1/service-items' }) }),
    getServiceItem: reach({
      shared: item,
      call: (c) => ({ method: 'get', path: `/api/v1/service-items/${c.itemId}` }),
    }),
    applyOnboarding: reach({
      shared: none,
      call: () => ({ method: 'post', path: '/api/v1/service-items', body: { ...application, code: `CW-A${next()}` } }),
    }),
    approveServiceItem: reach({
      shared: once(pendingItem),
      fresh: pendingItem,
      call: (c) => ({ method: 'post', path: `/api/v1/service-items/${c.itemId}/approvals` }),
    }),
    rejectServiceItem: reach({
      shared: once(pendingItem),
      fresh: pendingItem,
      call: (c) => ({
        method: 'post',
        path: `/api/v1/service-items/${c.itemId}/rejections`,
        body: { reason: '不需要' },
      }),
    }),
    reapplyOnboarding: reach({
      shared: once(rejectedItem),
      fresh: rejectedItem,
      call: (c) => ({
        method: 'post',
        path: `/api/v1/service-items/${c.itemId}/reapplication`,
        body: { description: '补充材料后重新申请' },
      }),
    }),
    defineProcess: reach({
      shared: once(draftItem),
      fresh: draftItem,
      call: (c) => ({ method: 'put', path: `/api/v1/service-items/${c.itemId}/draft/definition`, body: definition() }),
    }),
    importBpmn: reach({
      shared: once(draftItem),
      fresh: draftItem,
      call: (c) => ({
        method: 'put',
        path: `/api/v1/service-items/${c.itemId}/draft/bpmn`,
        body: { bpmn: definitionBpmn() },
      }),
    }),
    exportBpmn: reach({
      shared: once(() => definedItem()),
      call: (c: { itemId: string; versionId: string }) => ({
        method: 'get',
        path: `/api/v1/service-items/${c.itemId}/versions/${c.versionId}/bpmn`,
      }),
    }),
    confirmVersion: reach({
      shared: once(() => definedItem()),
      fresh: () => definedItem(),
      call: (c) => ({
        method: 'post',
        path: `/api/v1/service-items/${c.itemId}/versions/${c.versionId}/confirmations`,
      }),
    }),
    launchVersion: reach({
      shared: once(() => launchableItem()),
      fresh: () => launchableItem(),
      call: (c) => ({ method: 'post', path: `/api/v1/service-items/${c.itemId}/versions/${c.versionId}/launch` }),
    }),
    requestChange: reach({
      shared: once(() => onlineItem()),
      fresh: () => onlineItem(),
      call: (c) => ({
        method: 'post',
        path: `/api/v1/service-items/${c.itemId}/change-requests`,
        body: { reason: '调整', needs: [{ aspect: 'form', description: '增加字段' }] },
      }),
    }),
    fileRole: reach<{ subject: string }>({
      // refused cells change nothing: any subject will do
      shared: async () => ({ subject: 'T0302' }),
      fresh: async () => {
        const subject = `T8${String(next()).padStart(3, '0')}`;
        await t.db
          .knex('people')
          .insert({ id: subject, name: '新进人员', type: 'staff', unit_key: 'finance', status: 'active' });
        return { subject };
      },
      call: (c) => ({
        method: 'post',
        path: '/api/v1/role-filings',
        body: { subject: c.subject, role: 'handler', unit: 'finance', reason: '新进' },
      }),
    }),
    listSignIns: reach({ shared: none, call: () => ({ method: 'get', path: '/api/v1/people/T0302/sign-ins' }) }),
    listConcurrentSignIns: reach({
      shared: none,
      call: () => ({ method: 'get', path: '/api/v1/sign-ins/concurrent' }),
    }),
    listRoleFilings: reach({ shared: none, call: () => ({ method: 'get', path: '/api/v1/role-filings' }) }),
    getRoleFiling: reach<{ filingId: string }>({
      shared: once(roleFiling),
      call: (c) => ({ method: 'get', path: `/api/v1/role-filings/${c.filingId}` }),
    }),
    decideRoleFiling: reach<{ filingId: string }>({
      shared: once(roleFiling),
      fresh: roleFiling,
      call: (c) => ({
        method: 'post',
        path: `/api/v1/role-filings/${c.filingId}/decision`,
        body: { decision: 'refuse', reason: '暂不设岗' },
      }),
    }),
    listChangeRequests: reach({ shared: none, call: () => ({ method: 'get', path: '/api/v1/change-requests' }) }),
    getChangeRequest: reach<{ requestId: string }>({
      shared: once(changeRequest),
      call: (c) => ({ method: 'get', path: `/api/v1/change-requests/${c.requestId}` }),
    }),
    decideChangeRequest: reach<{ requestId: string }>({
      shared: once(changeRequest),
      fresh: changeRequest,
      call: (c) => ({
        method: 'post',
        path: `/api/v1/change-requests/${c.requestId}/decision`,
        body: { decision: 'refuse', reason: '暂不调整' },
      }),
    }),
    requestOffboarding: reach({
      shared: once(() => onlineItem()),
      fresh: () => onlineItem(),
      call: (c) => ({
        method: 'post',
        path: `/api/v1/service-items/${c.itemId}/offboarding-requests`,
        body: { reason: '停办' },
      }),
    }),
    startApplication: reach({
      shared: item,
      call: (c) => ({ method: 'post', path: '/api/v1/applications', body: { itemId: c.itemId, form } }),
    }),
    listMyApplications: reach({ shared: none, call: () => ({ method: 'get', path: '/api/v1/applications' }) }),
    getApplication: reach({ shared: withAttachment, call: (c) => ({ method: 'get', path: appPath()(c) }) }),
    applicationHistory: reach({
      shared: withAttachment,
      call: (c) => ({ method: 'get', path: appPath('/history')(c) }),
    }),
    applicationRoad: reach({ shared: withAttachment, call: (c) => ({ method: 'get', path: appPath('/road')(c) }) }),
    applicationDiagram: reach({
      shared: withAttachment,
      call: (c) => ({ method: 'get', path: appPath('/diagram')(c) }),
    }),
    submitApplication: reach({
      shared: once(draftApp),
      fresh: draftApp,
      call: (c) => ({ method: 'post', path: appPath('/submission')(c) }),
    }),
    withdrawApplication: reach({
      shared: once(pooledApp),
      fresh: pooledApp,
      call: (c) => ({ method: 'post', path: appPath('/withdrawal')(c) }),
    }),
    cancelApplication: reach({
      shared: once(heldApp),
      fresh: heldApp,
      call: (c) => ({ method: 'post', path: appPath('/cancellation')(c), body: { reason: '不再需要' } }),
    }),
    searchItemApplications: reach({
      shared: item,
      call: (c) => ({ method: 'get', path: `/api/v1/service-items/${c.itemId}/applications` }),
    }),
    adminCancelApplication: reach({
      shared: once(heldApp),
      fresh: heldApp,
      call: (c) => ({ method: 'post', path: appPath('/admin-cancellation')(c), body: { reason: '申请人已离校' } }),
    }),
    jumpApplication: reach({
      shared: once(heldApp),
      fresh: heldApp,
      call: (c) => ({ method: 'post', path: appPath('/jump')(c), body: { target: 'check', reason: '重新审核' } }),
    }),
    moveApplicationsToVersion: reach<{ itemId: string; applicationId: string; versionId: string }>({
      shared: once(async () => {
        const { itemId } = await item();
        const a = (await startApp(itemId)) as AppBody & { versionId: string };
        return { itemId, applicationId: a.id, versionId: a.versionId };
      }),
      call: (c) => ({
        method: 'post',
        path: `/api/v1/service-items/${c.itemId}/application-moves`,
        body: {
          fromVersionId: c.versionId,
          toVersionId: c.versionId,
          applicationIds: [c.applicationId],
          reason: '新版流程',
        },
      }),
    }),
    commentApplication: reach({
      shared: withAttachment,
      call: (c) => ({ method: 'post', path: appPath('/comments')(c), body: { text: '请尽快办理' } }),
    }),
    urgeApplication: reach({
      shared: once(heldApp),
      fresh: heldApp,
      call: (c) => ({ method: 'post', path: appPath('/urge')(c) }),
    }),
    evaluateApplication: reach({
      shared: once(completedApp),
      fresh: completedApp,
      call: (c) => ({ method: 'put', path: appPath('/evaluation')(c), body: { level: 5 } }),
    }),
    issuePrintout: reach({ shared: printed, call: (c) => ({ method: 'post', path: appPath('/printouts')(c) }) }),
    uploadAttachment: reach<{ applicationId: string }>({
      shared: once(heldApp),
      call: (c) => ({
        method: 'post',
        path: appPath('/attachments?name=scan.png')(c),
        file: { type: 'image/png', content: PNG },
      }),
    }),
    listAttachments: reach({
      shared: withAttachment,
      call: (c) => ({ method: 'get', path: appPath('/attachments')(c) }),
    }),
    downloadAttachment: reach({
      shared: withAttachment,
      call: (c) => ({ method: 'get', path: `/api/v1/attachments/${c.attachmentId}` }),
    }),
    inbox: reach({ shared: none, call: () => ({ method: 'get', path: '/api/v1/me/tasks' }) }),
    todoCount: reach({ shared: none, call: () => ({ method: 'get', path: '/api/v1/me/todo-count' }) }),
    doneTasks: reach({ shared: none, call: () => ({ method: 'get', path: '/api/v1/me/done-tasks' }) }),
    copiedToMe: reach({ shared: none, call: () => ({ method: 'get', path: '/api/v1/me/copied' }) }),
    taskCounts: reach({ shared: none, call: () => ({ method: 'get', path: '/api/v1/me/task-counts' }) }),
    // the held task: its holder approves it, anyone else is told per task (403 inside a 200)
    batchTaskAction: reach<{ taskId: string }>({
      shared: once(heldApp),
      fresh: heldApp,
      call: (c) => ({ method: 'post', path: '/api/v1/tasks/batch', body: { action: 'approve', taskIds: [c.taskId] } }),
    }),
    setAbsence: reach({
      shared: none,
      call: () => ({
        method: 'put',
        path: '/api/v1/me/absence',
        body: { substitute: 'T0010', from: '2031-01-05', to: '2031-01-09' },
      }),
    }),
    // runs after setAbsence (document order): every actor set one, and clears it
    clearAbsence: reach({ shared: none, call: () => ({ method: 'delete', path: '/api/v1/me/absence' }) }),
    claimTask: task('claim', undefined, pooledApp),
    unclaimTask: task('unclaim'),
    approveTask: task('approve', () => ({ comment: '同意' })),
    rejectTask: task('reject', () => ({ reason: '票据不符' })),
    returnTask: task('return', () => ({ target: 'applicant', comment: '请补充发票' })),
    transferTask: task('transfer', () => ({ to: 'T0301' })),
    delegateTask: task('delegate', () => ({ to: 'T0301' })),
    resolveTask: task('resolve', () => ({ comment: '已核' }), delegatedApp),
    addSignerTask: task('add-signer', () => ({ person: 'T0011', position: 'before' })),
    removeSignerTask: task('remove-signer', (c) => ({ signerTaskId: c.signerTaskId }), signerApp),
    copyTask: task('copy', () => ({ people: ['T0010'] })),
    takeBackTask: task('take-back', undefined, approvedApp),
    reassignTask: task('reassignment', () => ({ to: 'T0102', reason: '原经办人出差' })),
    listFollowUps: reach({ shared: none, call: () => ({ method: 'get', path: '/api/v1/follow-ups' }) }),
    resolveFollowUp: reach<{ followUpId: string }>({
      shared: once(followUp),
      call: (c) => ({
        method: 'post',
        path: `/api/v1/follow-ups/${c.followUpId}/resolution`,
        body: { resolution: '已约谈经办人' },
      }),
    }),
    listMyMessages: reach({ shared: none, call: () => ({ method: 'get', path: '/api/v1/me/messages' }) }),
    readMyMessage: reach({
      shared: message,
      call: (c) => ({ method: 'post', path: `/api/v1/me/messages/${c.messageId}/read` }),
    }),
    listRoleAssignments: reach({ shared: none, call: () => ({ method: 'get', path: '/api/v1/role-assignments' }) }),
    grantRole: reach({
      shared: none,
      call: () => ({
        method: 'post',
        path: '/api/v1/role-assignments',
        body: { subject: 'T0403', role: 'handler', unit: 'logistics' },
      }),
    }),
    revokeRole: reach({
      shared: none,
      call: () => ({
        method: 'post',
        path: '/api/v1/role-assignments/revocations',
        body: { subject: 'T0402', role: 'counselor', unit: 'college-info' },
      }),
    }),
    offboardPerson: reach({
      shared: none,
      call: () => ({ method: 'post', path: '/api/v1/people/T0503/offboarding', body: { status: 'left' } }),
    }),
    changePost: reach({
      shared: none,
      call: () => ({
        method: 'post',
        path: '/api/v1/people/T0202/post-change',
        body: { unit: 'logistics', reason: '调岗' },
      }),
    }),
    recordCertification: reach({
      shared: none,
      call: () => ({
        method: 'post',
        path: '/api/v1/people/T0403/certifications',
        body: { course: '服务事项管理员培训', passedOn: '2026-11-01', expiresOn: '2027-11-01' },
      }),
    }),
    listExpiringCertifications: reach({
      shared: none,
      call: () => ({ method: 'get', path: '/api/v1/certifications/expiring?days=30' }),
    }),
    listAuditEntries: reach({ shared: none, call: () => ({ method: 'get', path: '/api/v1/audit-entries' }) }),
    listDataReads: reach({
      shared: none,
      call: () => ({ method: 'get', path: '/api/v1/data-reads?person=2024110101' }),
    }),
    exportAuditEvidence: reach({
      shared: none,
      call: () => ({ method: 'post', path: '/api/v1/audit-evidence', body: { personId: '2024110101' } }),
    }),
    proveAuditConsistency: reach<{ treeSize: number }>({
      shared: checkpoint,
      call: (c) => ({
        method: 'get',
        path: `/api/v1/audit-checkpoints/consistency?from=${Math.floor(c.treeSize / 2)}&to=${c.treeSize}`,
      }),
    }),
    superviseAllUnits: reach({ shared: none, call: () => ({ method: 'get', path: '/api/v1/supervision/units' }) }),
    superviseUnit: reach({ shared: none, call: () => ({ method: 'get', path: '/api/v1/supervision/units/finance' }) }),
    getEvaluationFigures: reach({
      shared: none,
      call: () => ({ method: 'get', path: '/api/v1/evaluation-figures?year=2026&unit=finance' }),
    }),
    exportEvaluation: reach({
      shared: none,
      call: () => ({ method: 'post', path: '/api/v1/evaluation-exports', body: { year: 2026, format: 'csv' } }),
    }),
    listEvaluationExports: reach({ shared: none, call: () => ({ method: 'get', path: '/api/v1/evaluation-exports' }) }),
    getEvaluationExport: reach<{ exportId: string }>({
      shared: once(evaluationExport),
      call: (c) => ({ method: 'get', path: `/api/v1/evaluation-exports/${c.exportId}` }),
    }),
  };

  const PNG = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  );

  const matches = (expected: Expected, status: number) =>
    expected === OK ? status >= 200 && status < 300 : status === expected;

  it('has one row per operation of the OpenAPI document, and none for a removed one', () => {
    const documented = new Set(documentedOperations());
    const rows = new Set(Object.keys(AUTHORIZATION_MATRIX));
    const missing = [...documented].filter((op) => !rows.has(op));
    const removed = [...rows].filter((op) => !documented.has(op));
    expect(missing, 'operations without a row in test/e2e/authorization-matrix.ts').to.deep.equal([]);
    expect(removed, 'rows for operations the document no longer has').to.deep.equal([]);
  });

  const operations = Object.keys(AUTHORIZATION_MATRIX) as OperationId[];
  it(`answers every cell as the table says: ${operations.length} operations × ${ACTOR_KINDS.length} actor kinds = ${operations.length * ACTOR_KINDS.length} cells, 0 wrong allows, 0 wrong denies`, async function () {
    this.timeout(600_000);
    const mismatches: string[] = [];
    let run = 0;
    for (const op of operations) {
      const row = AUTHORIZATION_MATRIX[op];
      const how = REACH[op];
      // refusals first, on the shared context (they change nothing); then each allowed cell
      const cells = [...ACTOR_KINDS].sort((a, b) => Number(row[a] === OK) - Number(row[b] === OK));
      for (const actor of cells) {
        const expected = row[actor];
        let got: request.Response;
        try {
          const ctx = expected === OK && how.fresh ? await how.fresh() : await how.shared();
          const c = how.call(ctx, actor);
          let req = request(t.app)[c.method](c.path);
          const username = ACTORS[actor];
          if (username) {
            const token = how.ownSession
              ? ((
                  await must(
                    request(t.app).post('/api/v1/auth/login').send({ username, password: DEMO_PASSWORD }),
                    200,
                    'login',
                  )
                ).body.token as string)
              : await t.login(username);
            req = req.set('Authorization', `Bearer ${token}`);
          }
          if (c.file) req = req.set('Content-Type', c.file.type).send(c.file.content);
          else if (c.body !== undefined) req = req.send(c.body as object);
          got = await req;
        } catch (e) {
          mismatches.push(`${op} as ${actor}: expected ${expected}, the request failed: ${(e as Error).message}`);
          continue;
        }
        run++;
        if (!matches(expected, got.status))
          mismatches.push(
            `${op} as ${actor} (${ACTORS[actor] ?? 'no session'}): expected ${expected}, got ${got.status} ${
              (got.body as { code?: string } | undefined)?.code ?? ''
            }`,
          );
      }
    }
    // the size of the matrix, in the report beside the title
    console.log(`      ${operations.length} operations × ${ACTOR_KINDS.length} actor kinds: ${run} cells run`); // eslint-disable-line no-console
    if (mismatches.length) expect.fail(`${mismatches.length} cells differ from the table:\n${mismatches.join('\n')}`);
    expect(run).to.equal(operations.length * ACTOR_KINDS.length);
  });
});
