import { expect } from 'chai';
import { formFor, type FormReader } from '../../../src/domain/application/form-access.js';
import type { ProcessDefinition } from '../../../src/domain/process-definition/process-definition.js';

const definition: Pick<ProcessDefinition, 'form' | 'nodes'> = {
  form: {
    type: 'object',
    properties: {
      amount: { type: 'number' },
      purpose: { type: 'string' },
      invoice_no: { type: 'string' },
      bank_account: { type: 'string', 'x-sensitive': true },
      phone: { type: 'string', 'x-sensitive': true },
    },
  },
  nodes: [
    { key: 'apply', name: '申请', kind: 'start' },
    // the adviser sees what the trip is for, nothing of the money
    { key: 'adviser', name: '导师审核', kind: 'approval', fields: { visible: ['purpose'] } },
    // finance needs the amount and the account to pay into; it fills in the invoice number
    {
      key: 'finance',
      name: '财务审核',
      kind: 'approval',
      fields: { visible: ['amount', 'bank_account'], editable: ['invoice_no'] },
    },
    // the office sees everything it is shown, personal fields masked
    { key: 'office', name: '办公室', kind: 'approval' },
  ] as ProcessDefinition['nodes'],
};

const form = {
  amount: 1280.5,
  purpose: '赴京参会',
  invoice_no: 'F-77',
  bank_account: '6222020200113445',
  phone: '13812345678',
};
const reader = (o: Partial<FormReader>): FormReader => ({ applicant: false, nodes: [], overseer: false, ...o });

describe('the form as each reader may see it (fields.visible, x-sensitive)', () => {
  it('the applicant sees all of it', () => {
    expect(formFor(form, definition, reader({ applicant: true }))).to.deep.equal(form);
  });

  it("a handler sees their step's visible and editable fields; personal ones in clear only where the step names them", () => {
    expect(formFor(form, definition, reader({ nodes: ['adviser'] }))).to.deep.equal({ purpose: '赴京参会' });
    expect(formFor(form, definition, reader({ nodes: ['finance'] }))).to.deep.equal({
      amount: 1280.5,
      invoice_no: 'F-77',
      bank_account: '6222020200113445',
    });
    expect(formFor(form, definition, reader({ nodes: ['office'] }))).to.deep.equal({
      amount: 1280.5,
      purpose: '赴京参会',
      invoice_no: 'F-77',
      bank_account: '6222********3445',
      phone: '13*******78',
    });
    expect(formFor(form, definition, reader({ nodes: ['adviser', 'finance'] })), 'two steps: both').to.deep.equal({
      amount: 1280.5,
      purpose: '赴京参会',
      invoice_no: 'F-77',
      bank_account: '6222020200113445',
    });
  });

  it('an overseer sees every field, personal ones masked; with a step of their own, that step’s in clear', () => {
    const masked = { ...form, bank_account: '6222********3445', phone: '13*******78' };
    expect(formFor(form, definition, reader({ overseer: true }))).to.deep.equal(masked);
    expect(formFor(form, definition, reader({ overseer: true, nodes: ['finance'] }))).to.deep.equal({
      ...masked,
      bank_account: '6222020200113445',
    });
  });

  it('someone with neither a step nor oversight sees nothing; the stored form is not changed', () => {
    const before = structuredClone(form);
    expect(formFor(form, definition, reader({}))).to.deep.equal({});
    expect(formFor(form, definition, reader({ nodes: ['no-such-step'] }))).to.deep.equal({});
    expect(form).to.deep.equal(before);
  });
});
