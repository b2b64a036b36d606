import { expect } from 'chai';
import { createHash } from 'node:crypto';
import request from 'supertest';
import { pdfText } from '../fixtures/printout.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { as, onlineItem } from './lifecycle-helpers.js';
import { act, apply, taskOf, type AppBody } from './application-helpers.js';
import { readPrintout, verifyPrintoutFile } from '../../src/adapters/driven/printout/pdf-printout-reader.js';
import { canonicalBytes } from '../../src/domain/printout/printout.js';

/** Travel reimbursement whose academic-affairs approval is printable (a printout may be issued there). */
function printableDefinition() {
  return {
    form: {
      type: 'object',
      required: ['amount', 'purpose'],
      additionalProperties: false,
      properties: { amount: { type: 'number', exclusiveMinimum: 0 }, purpose: { type: 'string', minLength: 2 } },
    },
    nodes: [
      { key: 'apply', kind: 'start', name: '提交申请' },
      {
        key: 'check',
        kind: 'review',
        name: '财务审核',
        handlers: { type: 'role', role: 'handler', unit: 'finance' },
        timeLimit: { workingDays: 2 },
      },
      {
        key: 'sign',
        kind: 'approve',
        name: '教务处审批',
        handlers: { type: 'people', people: ['T0101'] },
        timeLimit: { workingDays: 3 },
        printable: true,
      },
      {
        key: 'pay',
        kind: 'complete',
        name: '办结',
        handlers: { type: 'people', people: ['T0302'] },
        timeLimit: { hours: 8 },
      },
    ],
  };
}

const form = { amount: 2680, purpose: '赴上海参加学术会议' };
const CODE = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

interface Issued {
  status: number;
  headers: Record<string, string>;
  pdf: Buffer;
  problem: { code?: string };
}

/** The body as bytes, whatever its type (superagent parses only text and JSON by default). */
function binary(res: request.Response, done: (err: Error | null, body: Buffer) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

describe('printouts (办事凭证): issue, verify online and offline, revocation (e2e)', function () {
  this.timeout(60_000);
  let t: TestApp;
  let itemId: string;
  before(async () => {
    t = await createTestApp();
    itemId = (await onlineItem(t, 'CW-PRT', printableDefinition())).itemId;
  });
  after(async () => {
    await t.close();
  });

  async function issue(who: string, applicationId: string): Promise<Issued> {
    const res = await request(t.app)
      .post(`/api/v1/applications/${applicationId}/printouts`)
      .set('Authorization', `Bearer ${await t.login(who)}`)
      .buffer(true)
      .parse(binary);
    const body = res.body as Buffer;
    const problem = res.status >= 400 ? (JSON.parse(body.toString('utf8')) as { code?: string }) : {};
    return { status: res.status, headers: res.headers as Record<string, string>, pdf: body, problem };
  }
  const verify = (code: string) => request(t.app).get(`/api/v1/verify/${code}`);

  /** Submitted, and the finance review passed: at the printable academic-affairs step. */
  async function atSign(): Promise<AppBody> {
    const a = await apply(t, itemId, 'student-xx', form);
    const check = a.currentTasks[0]!.id;
    expect((await act(t, 'cw-handler', check, 'claim')).status).to.equal(200);
    const r = await act(t, 'cw-handler', check, 'approve', { comment: '票据齐全，同意报销。' });
    expect(r.body.activeNode).to.equal('sign');
    return r.body as AppBody;
  }

  let completed: AppBody;
  let pdf: Buffer;
  let code: string;
  let publicKeyPem: string;

  it('completes an application (with a private handler note) and issues its printout to the applicant as a PDF', async () => {
    let a = await atSign();
    expect(
      (
        await as(t, 'cw-handler').post(`/api/v1/applications/${a.id}/comments`, {
          text: '内部备注：发票抬头待核',
          private: true,
        })
      ).status,
    ).to.equal(200);
    a = (await act(t, 'jw-admin', taskOf(a, 'T0101'), 'approve', { comment: '同意' })).body;
    expect(a.activeNode).to.equal('pay');
    a = (await act(t, 'cw-handler', taskOf(a, 'T0302'), 'approve')).body;
    expect(a.state).to.equal('completed');
    completed = a;

    const r = await issue('student-xx', a.id);
    expect(r.status, JSON.stringify(r.problem)).to.equal(201);
    expect(r.headers['content-type']).to.equal('application/pdf');
    code = r.headers['x-verification-code']!;
    expect(code).to.match(CODE);
    expect(r.headers['content-disposition']).to.equal(
      `attachment; filename="${a.caseNumber}-${code}.pdf"; filename*=UTF-8''${a.caseNumber}-${code}.pdf`,
    );
    expect(r.headers.location).to.equal(`/api/v1/verify/${code}`);
    expect(r.headers['cache-control']).to.equal('private, no-store');
    expect(r.pdf.subarray(0, 5).toString('latin1')).to.equal('%PDF-');
    pdf = r.pdf;
  });

  it("the PDF's embedded content verifies with the published public key, and its Chinese text is extractable", async () => {
    const key = await request(t.app).get('/api/v1/verify/public-key');
    expect(key.status).to.equal(200);
    expect(key.body).to.have.all.keys('keyId', 'algorithm', 'publicKeyPem');
    expect(key.body.algorithm).to.equal('Ed25519');
    publicKeyPem = key.body.publicKeyPem as string;
    expect(publicKeyPem).to.match(/^-----BEGIN PUBLIC KEY-----\n/);
    const pem = await request(t.app).get('/api/v1/verify/public-key.pem');
    expect(pem.status).to.equal(200);
    expect(pem.headers['content-type']).to.match(/^application\/x-pem-file/);
    expect(pem.text).to.equal(publicKeyPem);

    const check = verifyPrintoutFile(pdf, publicKeyPem);
    expect(check.status).to.equal('authentic');
    if (check.status !== 'authentic') return;
    expect(check.keyId).to.equal(key.body.keyId);
    const c = check.content;
    expect(c).to.deep.include({ code, caseNumber: completed.caseNumber, result: '已办结 Completed' });
    expect(c.service).to.deep.equal({ code: 'CW-PRT', name: '差旅费报销' });
    expect(c.applicant).to.deep.equal({ name: '张三', unit: '信息学院' });
    expect(c.trail.map((e) => [e.node, e.actor, e.action, e.comment])).to.deep.equal([
      ['提交申请', '张三', '提交 Submitted', null],
      ['财务审核', '孙财务', '通过 Approved', '票据齐全，同意报销。'],
      ['教务处审批', '陈教务', '通过 Approved', '同意'],
      ['办结', '孙财务', '通过 Approved', null],
      ['—', '系统 System', '办结 Completed', null],
    ]);
    expect(JSON.stringify(c)).to.not.contain('内部备注');

    const text = await pdfText(pdf);
    for (const s of [
      '办事凭证',
      completed.caseNumber,
      '差旅费报销',
      '张三',
      '信息学院',
      '已办结 Completed',
      '孙财务',
      '陈教务',
      '票据齐全，同意报销。',
      code,
      `http://hall.campus.test/api/v1/verify/${code}`,
    ]) {
      expect(text, s).to.contain(s);
    }
    expect(text).to.not.contain('内部备注');
  });

  it('GET /verify/{code} says valid, with the summary of what is printed; lowercase and without dashes too', async () => {
    const res = await verify(code);
    expect(res.status).to.equal(200);
    const embedded = readPrintout(pdf)!;
    expect(res.body).to.deep.equal({
      code,
      status: 'valid',
      issuedAt: embedded.content.issuedAt,
      keyId: embedded.keyId,
      algorithm: 'Ed25519',
      summary: {
        caseNumber: completed.caseNumber,
        service: { code: 'CW-PRT', name: '差旅费报销' },
        applicantName: '张三',
        result: '已办结 Completed',
        issuedAt: embedded.content.issuedAt,
      },
      signature: embedded.signature,
      contentSha256: createHash('sha256').update(canonicalBytes(embedded.content)).digest('hex'),
    });
    const typed = await verify(code.toLowerCase().replace(/-/g, ''));
    expect(typed.status).to.equal(200);
    expect(typed.body).to.deep.equal(res.body);
  });

  it('one changed byte inside the signed payload: the PDF no longer verifies (altered)', () => {
    const embedded = readPrintout(pdf)!;
    const text = Buffer.from(embedded.canonical).toString('base64url');
    const at = pdf.toString('latin1').indexOf(`(${text})`) + 1;
    expect(at).to.be.greaterThan(0);
    const json = Buffer.from(embedded.canonical);
    const i = json.indexOf('"result":"') + '"result":"'.length;
    json[i] = json[i] === 0x41 ? 0x42 : 0x41;
    const forged = json.toString('base64url');
    expect(forged).to.have.length(text.length);
    const altered = Buffer.from(pdf);
    altered.write(forged, at, 'latin1');
    expect(verifyPrintoutFile(altered, publicKeyPem).status).to.equal('altered');
    const flipped = Buffer.from(pdf);
    flipped[at + 40] = flipped[at + 40] === 0x41 ? 0x42 : 0x41;
    expect(verifyPrintoutFile(flipped, publicKeyPem).status).to.equal('altered');
    expect(verifyPrintoutFile(pdf, publicKeyPem).status).to.equal('authentic');
  });

  it('each issue is a printout of its own, with a new code, stored with its audit entry and outbox event', async () => {
    const again = await issue('student-xx', completed.id);
    expect(again.status).to.equal(201);
    const other = again.headers['x-verification-code']!;
    expect(other).to.match(CODE).and.not.equal(code);
    const rows = await t.db.knex('printouts').where({ application_id: completed.id }).orderBy('issued_at');
    expect(rows.map((r: { code: string }) => r.code)).to.deep.equal([code, other]);
    expect(rows[0]).to.include({ issued_by: '2024110101', revoked_at: null, revoked_reason: null });
    const audits = await t.db
      .knex('audit_log')
      .where({ action: 'printout.issued' })
      .whereIn('entity_id', [code, other]);
    expect(audits).to.have.length(2);
    expect(
      audits.every(
        (a: { entity_type: string; actor_id: string }) => a.entity_type === 'printout' && a.actor_id === '2024110101',
      ),
    ).to.equal(true);
    expect(
      await t.db.knex('outbox').where({ topic: 'printout.issued' }).whereIn('aggregate_id', [code, other]),
    ).to.have.length(2);
  });

  it('a handler who acted may issue one too; a stranger may not (403), nor an admin who only reads it', async () => {
    expect((await issue('jw-admin', completed.id)).status, 'handled the approval').to.equal(201);
    const stranger = await issue('student-hk', completed.id);
    expect(stranger.status).to.equal(403);
    expect(stranger.problem.code).to.equal('AUTH.FORBIDDEN');
    const reader = await issue('cw-admin', completed.id);
    expect(reader.status).to.equal(403);
    expect(reader.problem.code).to.equal('PRINTOUT.NOT_ALLOWED');
    expect((await issue('student-xx', '00000000-0000-4000-8000-000000000000')).status).to.equal(404);
  });

  it('in progress at a step that is not printable: 409 PRINTOUT.NOT_PRINTABLE; once past the printable step it may be issued', async () => {
    let a = await apply(t, itemId, 'student-xx', form);
    expect(a.activeNode).to.equal('check');
    const r = await issue('student-xx', a.id);
    expect(r.status).to.equal(409);
    expect(r.problem.code).to.equal('PRINTOUT.NOT_PRINTABLE');
    const check = a.currentTasks[0]!.id;
    await act(t, 'cw-handler', check, 'claim');
    a = (await act(t, 'cw-handler', check, 'approve')).body;
    a = (await act(t, 'jw-admin', taskOf(a, 'T0101'), 'approve')).body;
    expect(a.activeNode).to.equal('pay');
    const passed = await issue('student-xx', a.id);
    expect(passed.status).to.equal(201);
    expect(readPrintout(passed.pdf)!.content.result).to.equal(
      '办理中（当前环节：办结） In progress (current step: 办结)',
    );
  });

  it('issued at a printable step, then withdrawn: verify says revoked (withdrawn), and keeps saying so', async () => {
    const a = await atSign();
    const r = await issue('student-xx', a.id);
    expect(r.status).to.equal(201);
    const c = r.headers['x-verification-code']!;
    expect(readPrintout(r.pdf)!.content.result).to.equal(
      '办理中（当前环节：教务处审批） In progress (current step: 教务处审批)',
    );
    expect((await verify(c)).body.status).to.equal('valid');

    const w = await as(t, 'student-xx').post(`/api/v1/applications/${a.id}/withdrawal`);
    expect(w.body.state).to.equal('withdrawn');
    const first = await verify(c);
    expect(first.status).to.equal(200);
    expect(first.body).to.include({ code: c, status: 'revoked', revokedReason: 'withdrawn' });
    expect(first.body.revokedAt).to.be.a('string');
    expect(first.body.summary.result).to.equal('办理中（当前环节：教务处审批） In progress (current step: 教务处审批)');
    const row = await t.db.knex('printouts').where({ code: c }).first();
    expect(row.revoked_reason).to.equal('withdrawn');
    expect(row.revoked_at).to.be.instanceOf(Date);
    const second = await verify(c.toLowerCase());
    expect(second.body).to.deep.equal(first.body);
    expect(await t.db.knex('audit_log').where({ action: 'printout.revoked', entity_id: c })).to.have.length(1);
    // the file itself still carries a valid signature: revocation can only be seen online
    expect(verifyPrintoutFile(r.pdf, publicKeyPem).status).to.equal('authentic');
    expect((await issue('student-xx', a.id)).problem.code, 'a withdrawn application is not printable').to.equal(
      'PRINTOUT.NOT_PRINTABLE',
    );
  });

  it('issued at a printable step, then returned to the applicant: revoked (returned)', async () => {
    let a = await atSign();
    const r = await issue('student-xx', a.id);
    const c = r.headers['x-verification-code']!;
    a = (await act(t, 'jw-admin', taskOf(a, 'T0101'), 'return', { target: 'applicant', comment: '请补充会议通知' }))
      .body;
    expect(a.state).to.equal('returned');
    const res = await verify(c);
    expect(res.body).to.include({ status: 'revoked', revokedReason: 'returned' });
    expect((await issue('student-xx', a.id)).status, 'returned: not printable').to.equal(409);
  });

  it('an unknown or malformed code: 404 problem+json', async () => {
    for (const unknown of ['ZZZZ-ZZZZ-ZZZZ', 'hello', 'K7Q2-9MXD-4HT']) {
      const res = await verify(unknown);
      expect(res.status, unknown).to.equal(404);
      expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
      expect(res.body.code).to.equal('PRINTOUT.NOT_FOUND');
    }
  });

  it('the routes are in the OpenAPI document, the key routes apart from {code}', async () => {
    const doc = (await request(t.app).get('/api/v1/openapi.json')).body as {
      paths: Record<string, Record<string, { operationId: string; security: unknown[] }>>;
    };
    expect(doc.paths['/api/v1/applications/{applicationId}/printouts']?.post?.operationId).to.equal('issuePrintout');
    expect(doc.paths['/api/v1/verify/{code}']?.get?.security).to.deep.equal([]);
    expect(doc.paths['/api/v1/verify/public-key']?.get?.operationId).to.equal('printoutPublicKey');
    expect(doc.paths['/api/v1/verify/public-key.pem']?.get?.operationId).to.equal('printoutPublicKeyPem');
  });
});
