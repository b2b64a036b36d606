import { expect } from 'chai';
import { AjvFormValidator } from '../../../src/adapters/driven/ajv/ajv-form-validator.js';

describe('form data bounds (validation cannot be made to run long)', () => {
  const schema = { type: 'object', properties: { list: { type: 'array', uniqueItems: true } } };

  it('refuses an array of more than 1000 items before uniqueItems compares every pair of them', () => {
    const list = Array.from({ length: 80_000 }, (_, i) => ({ a: [i] }));
    expect(new AjvFormValidator().validate({ key: 'u1', schema, data: { list } })).to.deep.equal([
      { path: '/list', message: 'must NOT have more than 1000 items' },
    ]);
  });

  it('refuses a form of more than 20,000 values, and validates one within the bounds as before', () => {
    const many = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [`f${i}`, Array.from({ length: 1000 }, () => 1)]),
    );
    expect(new AjvFormValidator().validate({ key: 'u2', schema: { type: 'object' }, data: many })).to.deep.equal([
      { path: '/', message: 'a form holds at most 20000 values' },
    ]);
    const list = Array.from({ length: 1000 }, (_, i) => ({ a: [i % 999] }));
    expect(new AjvFormValidator().validate({ key: 'u3', schema, data: { list } })).to.have.length(1);
  });
});
