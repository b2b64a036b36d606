import { expect } from 'chai';
import { AjvFormSchemaChecker } from '../../../src/adapters/driven/ajv/ajv-form-schema-checker.js';
import { AjvFormValidator } from '../../../src/adapters/driven/ajv/ajv-form-validator.js';
import { patternProblems } from '../../../src/adapters/driven/ajv/linear-patterns.js';

describe('form schema patterns (linear-time engine and the catastrophic-backtracking check)', () => {
  it('finds nested quantifiers and unsupported syntax in pattern values and patternProperties keys, at any depth', () => {
    const schema = {
      type: 'object',
      properties: {
        pattern: { type: 'string', pattern: '^([a-z]+)*$' },
        list: { type: 'array', items: { type: 'string', pattern: '^(\\w+\\s?)*$' } },
        ok: { type: 'string', pattern: '^[\\u4e00-\\u9fa5]{2,10}$' },
        look: { type: 'string', pattern: '^(?=x)x$' },
      },
      patternProperties: { '^(a+)+$': { type: 'string' }, '^x_\\d+$': { type: 'number' } },
      default: { pattern: '^(a+)+$' },
    };
    expect(patternProblems(schema, '/form').map((p) => p.path)).to.deep.equal([
      '/form/patternProperties/^(a+)+$',
      '/form/properties/list/items/pattern',
      '/form/properties/look/pattern',
      '/form/properties/pattern/pattern',
    ]);
  });

  it('the schema checker reports the pattern and does not compile the schema', () => {
    const problems = new AjvFormSchemaChecker().check(
      { type: 'object', properties: { code: { type: 'string', pattern: '^(a+)+$' } } },
      '/form',
    );
    expect(problems).to.have.length(1);
    expect(problems[0]!.path).to.equal('/form/properties/code/pattern');
  });

  it('validation matches in linear time: a backtracking pattern answers a long hostile input', () => {
    const schema = { type: 'object', properties: { code: { type: 'string', pattern: '^(a+)+$' } } };
    const validator = new AjvFormValidator();
    expect(validator.validate({ key: 'v1', schema, data: { code: `${'a'.repeat(5000)}!` } })).to.have.length(1);
    expect(validator.validate({ key: 'v1', schema, data: { code: 'aaaa' } })).to.deep.equal([]);
  });

  it('JavaScript pattern syntax keeps its meaning (\\d, \\u escapes, anchors)', () => {
    const schema = { type: 'object', properties: { no: { type: 'string', pattern: '^FP-\\d{4}[\\u4e00-\\u9fa5]$' } } };
    const validator = new AjvFormValidator();
    expect(validator.validate({ key: 'v2', schema, data: { no: 'FP-2026票' } })).to.deep.equal([]);
    expect(validator.validate({ key: 'v2', schema, data: { no: 'FP-2026x' } })).to.have.length(1);
    expect(validator.validate({ key: 'v2', schema, data: { no: 'xFP-2026票' } })).to.have.length(1);
  });
});
