import { expect } from 'chai';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { as, definition, launchableItem, onlineItem } from './lifecycle-helpers.js';

const EVIL = '^(a+)+$';

/** The finance definition with a pattern on the invoice number (and, if given, patternProperties). */
function withPattern(pattern: string, patternProperties?: Record<string, unknown>) {
  const def = definition();
  const form = def.form as Record<string, unknown> & { properties: Record<string, Record<string, unknown>> };
  form.properties.invoice_no = { ...form.properties.invoice_no, pattern };
  if (patternProperties) form.patternProperties = patternProperties;
  return def;
}

describe('regular expressions in form schemas cannot be made to backtrack (e2e)', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => {
    await t.close();
  });

  /** Writes a form pattern into a stored version behind the API's back, as a definition saved before the check existed. */
  async function storePattern(versionId: string, pattern: string) {
    await t.db.knex.raw(
      `UPDATE service_versions SET definition = jsonb_set(definition, '{form,properties,invoice_no,pattern}', to_jsonb(?::text)) WHERE id = ?`,
      [pattern, versionId],
    );
  }

  it('a definition whose pattern can backtrack catastrophically is refused when saved, naming the pattern', async () => {
    const { itemId } = await launchableItem(t, 'CW-RX1');
    const res = await as(t, 'cw-admin').put(`/api/v1/service-items/${itemId}/draft/definition`, withPattern(EVIL));
    expect(res.status, JSON.stringify(res.body)).to.equal(400);
    expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(res.body.code).to.equal('PROCESS_DEFINITION.INVALID');
    expect(res.body.errors).to.have.length(1);
    expect(res.body.errors[0]).to.include({ in: 'body', path: '/form/properties/invoice_no/pattern' });
    expect(res.body.errors[0].message).to.match(/backtrack/);
  });

  it('patternProperties keys and patterns the linear engine cannot run (backreferences) are refused too', async () => {
    const { itemId } = await launchableItem(t, 'CW-RX2');
    const res = await as(t, 'cw-admin').put(
      `/api/v1/service-items/${itemId}/draft/definition`,
      withPattern('^(\\d)\\1$', { '^(x|xy)*z$': { type: 'string' }, '^([a-z]*)*$': { type: 'string' } }),
    );
    expect(res.status, JSON.stringify(res.body)).to.equal(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).to.deep.equal([
      '/form/patternProperties/^([a-z]*)*$',
      '/form/properties/invoice_no/pattern',
    ]);
  });

  it('a sound pattern is still accepted and enforced', async () => {
    const { itemId } = await onlineItem(t, 'CW-RX3', withPattern('^FP-\\d{8}$'));
    const student = as(t, 'student-xx');
    const form = { amount: 10, purpose: '差旅' };
    const ok = await student.post('/api/v1/applications', { itemId, form: { ...form, invoice_no: 'FP-20261130' } });
    expect(ok.status, JSON.stringify(ok.body)).to.equal(201);
    const bad = await student.post('/api/v1/applications', { itemId, form: { ...form, invoice_no: 'FP-2026' } });
    expect(bad.status).to.equal(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).to.deep.equal(['/form/invoice_no']);
  });

  it('a draft already stored with such a pattern does not pass the launch gate, which names the pattern', async () => {
    const { itemId, versionId } = await launchableItem(t, 'CW-RX4');
    await storePattern(versionId, EVIL);
    const res = await as(t, 'cw-admin').post(`/api/v1/service-items/${itemId}/versions/${versionId}/launch`);
    expect(res.status, JSON.stringify(res.body)).to.equal(409);
    expect(res.body.code).to.equal('SERVICE_ITEM.LAUNCH_GATE_NOT_MET');
    expect(res.body.missing).to.have.length(1);
    expect(res.body.missing[0]).to.include({ kind: 'form', path: '/form/properties/invoice_no/pattern' });
    const state = await t.db.knex('service_versions').where({ id: versionId }).first('state');
    expect(state.state).to.equal('draft');
  });

  it('an online form whose pattern would backtrack answers a 34-character hostile input (linear-time matching)', async () => {
    const { itemId, versionId } = await onlineItem(t, 'CW-RX5', definition());
    // as if it had gone online before patterns were checked
    await storePattern(versionId, EVIL);
    const res = await as(t, 'student-xx').post('/api/v1/applications', {
      itemId,
      form: { amount: 10, purpose: '差旅', invoice_no: `${'a'.repeat(33)}!` },
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).to.deep.equal(['/form/invoice_no']);
  });

  it('an online form stored with a pattern the linear engine cannot run answers 400 naming the form, never 500', async () => {
    const { itemId, versionId } = await onlineItem(t, 'CW-RX6', definition());
    await storePattern(versionId, '^(?=FP)FP-\\d+$');
    const res = await as(t, 'student-xx').post('/api/v1/applications', {
      itemId,
      form: { amount: 10, purpose: '差旅', invoice_no: 'FP-1' },
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(400);
    expect(res.body.code).to.equal('APPLICATION.INVALID_FORM');
    expect(res.body.errors.map((e: { path: string }) => e.path)).to.deep.equal(['/form']);
    expect(res.body.errors[0].message).to.match(/cannot be checked/);
  });
});
