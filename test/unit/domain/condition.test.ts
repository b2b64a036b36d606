import { expect } from 'chai';
import {
  APPLICANT_FIELDS,
  checkCondition,
  fieldTypeOf,
  type FieldType,
} from '../../../src/domain/process-definition/condition.js';

const fields: ReadonlyMap<string, FieldType> = new Map([
  ...APPLICANT_FIELDS,
  ['form.days', fieldTypeOf({ type: 'number' })],
  ['form.leaves_city', fieldTypeOf({ type: 'boolean' })],
  ['form.language', fieldTypeOf({ type: 'string', enum: ['zh', 'en'] })],
]);
const paths = (cond: unknown) => checkCondition(cond, fields, '/c').map((p) => p.path);

describe('node conditions (JSON Logic subset)', () => {
  it('accepts the conditions service items need', () => {
    expect(paths({ '>': [{ var: 'form.days' }, 3] })).to.deep.equal([]);
    expect(
      paths({ or: [{ '>': [{ var: 'form.days' }, 7] }, { '==': [{ var: 'form.leaves_city' }, true] }] }),
    ).to.deep.equal([]);
    expect(paths({ '==': [{ var: 'applicant.type' }, 'student'] })).to.deep.equal([]);
    expect(paths({ in: [{ var: 'form.language' }, ['zh', 'en']] })).to.deep.equal([]);
    expect(paths({ '<': [1, { var: 'form.days' }, 10] })).to.deep.equal([]);
    expect(paths({ '!': { var: 'form.leaves_city' } })).to.deep.equal([]);
  });

  it('refuses unknown fields, naming them', () => {
    const problems = checkCondition({ '>': [{ var: 'form.weeks' }, 3] }, fields, '/c');
    expect(problems).to.have.length(1);
    expect(problems[0]).to.include({ path: '/c/>/0/var' });
    expect(problems[0]!.message).to.contain("'form.weeks'");
  });

  it('refuses comparisons of the wrong type and values an enum cannot take', () => {
    expect(paths({ '>': [{ var: 'form.days' }, '3'] })).to.deep.equal(['/c/>/1']);
    expect(paths({ '==': [{ var: 'form.leaves_city' }, 'yes'] })).to.deep.equal(['/c/==/1']);
    expect(paths({ '==': [{ var: 'applicant.type' }, 'teacher'] })).to.deep.equal(['/c/==/1']);
    expect(paths({ '>': [{ var: 'form.language' }, 1] })).to.deep.equal(['/c/>/0']);
  });

  it('refuses unknown operators (no escape hatch to code), bad arity and bare values', () => {
    expect(paths({ method: [{ var: 'form.days' }, 'toString'] })).to.deep.equal(['/c/method']);
    expect(paths({ '>': [{ var: 'form.days' }] })).to.deep.equal(['/c/>']);
    expect(paths(true)).to.deep.equal(['/c']);
    expect(paths({ var: 'form.days' })).to.deep.equal(['/c']);
    expect(paths({ and: [{ '>': [{ var: 'form.nope' }, 1] }, { '==': [{ var: 'form.days' }, 'x'] }] })).to.deep.equal([
      '/c/and/0/>/0/var',
      '/c/and/1/==/1',
    ]);
  });
});
