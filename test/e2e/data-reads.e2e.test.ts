import { expect } from 'chai';
import { runCommand } from '@oclif/test';
import { fileURLToPath } from 'node:url';
import { setEnv } from '../fixtures/process-env.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { apply, reimbursement } from './application-helpers.js';
import { as, onlineItem } from './lifecycle-helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const STUDENT = '2024110101'; // student-xx

/** Reads of a person's data by anyone else leave a trace the IT Center can list (e2e, real server and CLI). */
describe('who read whose data: the read trail (e2e)', function () {
  this.timeout(120_000);
  let t: TestApp;
  let id: string;
  let restoreEnv = () => {};

  before(async () => {
    t = await createTestApp();
    const { itemId } = await onlineItem(t, 'CW-READS', reimbursement('any'));
    id = (await apply(t, itemId, 'student-xx')).id;
  });
  after(async () => {
    restoreEnv();
    await t.close();
  });

  it("the applicant's own reads leave none; a handler's and an auditor's do, listed newest first for the auditor", async () => {
    expect((await as(t, 'student-xx').get(`/api/v1/applications/${id}`)).status).to.equal(200);
    expect((await as(t, 'cw-handler').get(`/api/v1/applications/${id}`)).status).to.equal(200);
    expect((await as(t, 'auditor').get(`/api/v1/applications/${id}`)).status).to.equal(200);

    const listed = await as(t, 'auditor').get(`/api/v1/data-reads?person=${STUDENT}`);
    expect(listed.status, JSON.stringify(listed.body)).to.equal(200);
    expect(
      listed.body.items.map((r: { readerId: string; what: string; applicationId: string }) => [
        r.readerId,
        r.what,
        r.applicationId,
      ]),
    ).to.deep.equal([
      ['T0003', 'form', id],
      ['T0302', 'form', id],
    ]);
    expect(listed.body.items[0].requestId, 'the request that read it').to.be.a('string');
    expect(
      await t.db
        .knex('data_reads')
        .where({ reader_id: STUDENT })
        .count({ n: '*' })
        .then((r) => Number(r[0]!.n)),
    ).to.equal(0);
  });

  it('pages on with a cursor; a tampered cursor is 400 naming it; only auditors and the IT Office may list', async () => {
    const first = await as(t, 'it-officer').get(`/api/v1/data-reads?person=${STUDENT}&limit=1`);
    expect(first.body.items).to.have.length(1);
    const next = await as(t, 'it-officer').get(
      `/api/v1/data-reads?person=${STUDENT}&limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`,
    );
    expect(next.body.items[0].readerId).to.equal('T0302');
    const bad = await as(t, 'auditor').get(
      `/api/v1/data-reads?person=${STUDENT}&cursor=${Buffer.from('{"k":"x"}').toString('base64url')}`,
    );
    expect([bad.status, bad.body.errors?.[0]?.path]).to.deep.equal([400, '/cursor']);
    for (const who of ['student-xx', 'cw-handler', 'cw-admin']) {
      expect((await as(t, who).get(`/api/v1/data-reads?person=${STUDENT}`)).status, who).to.equal(403);
    }
  });

  it('hall audit reads --person lists the same for the IT Office', async () => {
    restoreEnv = setEnv({
      DATABASE_URL: t.db.url,
      SESSION_SECRET: 'cli-test-secret-cli-test-secret-0123456',
      LOG_LEVEL: 'silent',
      NODE_ENV: 'development',
    });
    const { stdout, error } = await runCommand(
      ['audit', 'reads', '--person', STUDENT, '--operator', 'T0002', '--json'],
      { root },
    );
    expect(error, String(error?.message)).to.equal(undefined);
    expect(JSON.parse(stdout).items.map((r: { readerId: string }) => r.readerId)).to.deep.equal(['T0003', 'T0302']);
    const refused = await runCommand(['audit', 'reads', '--person', STUDENT, '--operator', 'T0302'], { root });
    expect(refused.error?.oclif?.exit).to.equal(2);
  });
});
