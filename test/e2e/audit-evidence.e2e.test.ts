import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { as } from './lifecycle-helpers.js';
import { writeAuditEntries } from '../fixtures/audit-log.js';
import { buildOfflineUseCases } from '../../src/adapters/composition/offline.js';

/** Evidence export (取证) over HTTP for the IT Center: the bundle the CLI checks offline. */
describe('POST /api/v1/audit-evidence (e2e)', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
    await writeAuditEntries(t.db.knex, 9, { entity: (i) => (i % 3 ? ['application', 'A1'] : ['application', 'A2']) });
  });
  after(() => t.close());

  /** The raw body as text (supertest leaves an unknown media type unparsed). */
  const post = async (who: string, body: unknown) => {
    const token = await t.login(who);
    return request(t.app)
      .post('/api/v1/audit-evidence')
      .set('Authorization', `Bearer ${token}`)
      .send(body as object)
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => done(null, text));
      });
  };

  it('gives an auditor the bundle of an application, which verifies offline as received', async () => {
    const res = await post('auditor', { applicationId: 'A1' });
    expect(res.status, String(res.body)).to.equal(200);
    expect(res.headers['content-type']).to.match(/^application\/x-ndjson/);
    expect(res.headers['content-disposition']).to.match(
      /^attachment; filename="audit-evidence-A1-\d{8}T\d{6}Z\.jsonl"$/,
    );
    const text = res.body as string;
    const checked = buildOfflineUseCases().verifyEvidenceBundle.execute({ text });
    expect(checked.problems).to.deep.equal([]);
    expect(checked).to.include({ valid: true, entries: 6 });
    expect(Number(res.headers['x-audit-tree-size'])).to.equal(checked.treeSize);
    // and the key it names is the hall's checkpoint key
    const key = await t.container.ports.checkpointKeys.signer();
    expect(buildOfflineUseCases().verifyEvidenceBundle.execute({ text, trustedKey: key.verifierKey }).valid).to.equal(
      true,
    );
    const other = 'other/log+00000000+AQ==';
    expect(buildOfflineUseCases().verifyEvidenceBundle.execute({ text, trustedKey: other }).valid).to.equal(false);
  });

  it('the IT Office may export too; a unit admin, a handler and a student may not (403)', async () => {
    expect((await post('it-officer', { from: '2026-11-20T00:00:00Z', to: '2026-11-21T00:00:00Z' })).status).to.equal(
      200,
    );
    for (const who of ['cw-admin', 'cw-handler', 'student-xx']) {
      const res = await as(t, who).post('/api/v1/audit-evidence', { applicationId: 'A1' });
      expect(res.status, who).to.equal(403);
      expect(res.body.code).to.equal('AUTH.FORBIDDEN');
    }
  });

  it('bad input is a 400 problem naming the field, never a 500', async () => {
    for (const [body, field] of [
      [{}, 'personId'],
      [{ from: 'last week' }, 'from'],
      [{ from: '2026-11-21T00:00:00Z', to: '2026-11-20T00:00:00Z' }, 'to'],
      [{ applicationId: 'A1', extra: 1 }, 'extra'],
      [{ personId: 'x'.repeat(65) }, 'personId'],
    ] as const) {
      const res = await as(t, 'auditor').post('/api/v1/audit-evidence', body);
      expect(res.status, JSON.stringify(body)).to.equal(400);
      expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
      expect(JSON.stringify(res.body.errors), JSON.stringify(body)).to.include(field);
    }
  });
});
