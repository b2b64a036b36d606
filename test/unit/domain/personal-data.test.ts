import { expect } from 'chai';
import { maskValue, personalFieldPaths, withPersonalData } from '../../../src/domain/application/personal-data.js';

const reimbursement = {
  type: 'object',
  $defs: {
    contact: {
      type: 'object',
      properties: { name: { type: 'string' }, phone: { type: 'string', 'x-sensitive': true } },
    },
    // a schema may refer to itself: where it comes back, the value is personal as a whole
    node: { type: 'object', properties: { child: { $ref: '#/$defs/node' }, secret: { 'x-sensitive': true } } },
  },
  properties: {
    amount: { type: 'number' },
    bank_account: { type: 'string', 'x-sensitive': true },
    'id/number': { type: 'string', 'x-sensitive': true },
    contacts: { type: 'array', items: { $ref: '#/$defs/contact' } },
    address: { type: 'object', 'x-sensitive': true, properties: { city: { type: 'string' } } },
    tree: { $ref: '#/$defs/node' },
  },
  allOf: [
    { if: { properties: { amount: { minimum: 1000 } } }, then: { properties: { tax_id: { 'x-sensitive': true } } } },
  ],
};

describe('personal data in a form (x-sensitive)', () => {
  it('finds every marked field: nested, in arrays, through $ref and conditional branches, once each', () => {
    // (a recursive schema: `/tree/child` is where it comes back, so all of it is personal)
    expect(personalFieldPaths(reimbursement)).to.deep.equal([
      '/address',
      '/bank_account',
      '/contacts/*/phone',
      '/id~1number',
      '/tax_id',
      '/tree/child',
      '/tree/secret',
    ]);
    expect(personalFieldPaths(undefined)).to.deep.equal([]);
    expect(personalFieldPaths({ type: 'object', properties: { a: { type: 'string' } } })).to.deep.equal([]);
  });

  it('masks a value as receipts do: a quarter kept at each end, at most four characters', () => {
    expect(maskValue('6222020200113445')).to.equal('6222********3445');
    expect(maskValue('13812345678')).to.equal('13*******78');
    expect(maskValue('110101199003071234')).to.equal('1101**********1234');
    expect(maskValue('张三丰')).to.equal('****');
    expect(maskValue('北京市海淀区中关村大街1号')).to.equal('北京市*******街1号');
    expect(maskValue(12345678)).to.equal('12****78');
    expect(maskValue({ city: 'Beijing' })).to.equal('****');
  });

  it('masks or leaves out the marked fields of a copy; the form itself is unchanged', () => {
    const form = {
      amount: 1200,
      bank_account: '6222020200113445',
      'id/number': '110101199003071234',
      contacts: [
        { name: 'Li', phone: '13812345678' },
        { name: 'Wang', phone: '13987654321' },
      ],
      address: { city: 'Beijing' },
    };
    const before = structuredClone(form);
    const paths = personalFieldPaths(reimbursement);
    expect(withPersonalData(form, paths, 'mask')).to.deep.equal({
      amount: 1200,
      bank_account: '6222********3445',
      'id/number': '1101**********1234',
      contacts: [
        { name: 'Li', phone: '13*******78' },
        { name: 'Wang', phone: '13*******21' },
      ],
      address: '****',
    });
    expect(withPersonalData(form, paths, 'omit')).to.deep.equal({
      amount: 1200,
      contacts: [{ name: 'Li' }, { name: 'Wang' }],
    });
    expect(form).to.deep.equal(before);
  });
});
