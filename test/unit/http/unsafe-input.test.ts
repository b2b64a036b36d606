import { expect } from 'chai';
import { MAX_NESTING, unsafeInputProblems } from '../../../src/adapters/driving/http/unsafe-input.js';

/** JSON nested `levels` arrays deep, built without recursion. */
function nested(levels: number): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < levels; i++) v = [v];
  return v;
}

describe('unsafeInputProblems (text PostgreSQL refuses, nesting that overflows)', () => {
  it('names every string holding NUL or a lone surrogate by its place and JSON pointer', () => {
    const problems = unsafeInputProblems([
      { in: 'path', value: { itemId: 'a\u0000' } },
      { in: 'query', value: { q: ['ok', 'x\udc00'] } },
      { in: 'body', value: { form: { name: 'b\ud800', fine: '张三 😀' }, list: [1, '\u0000'] } },
    ]);
    expect(problems.map((p) => [p.in, p.path])).to.deep.equal([
      ['path', '/itemId'],
      ['query', '/q/1'],
      ['body', '/form/name'],
      ['body', '/list/1'],
    ]);
    expect(problems[0]!.message).to.contain('NUL');
    expect(problems[2]!.message).to.contain('lone surrogate');
  });

  it('names a property name holding NUL, with the bad character replaced in the pointer', () => {
    const problems = unsafeInputProblems([{ in: 'body', value: { 'a\u0000b': 1 } }]);
    expect(problems).to.deep.equal([
      { in: 'body', path: '/a\ufffdb', message: 'the property name must not contain the NUL character (U+0000)' },
    ]);
  });

  it('accepts well-formed text, surrogate pairs included', () => {
    expect(unsafeInputProblems([{ in: 'body', value: { a: '😀', b: ['事由', { c: 'x~/y' }] } }])).to.deep.equal([]);
  });

  it(`refuses nesting deeper than ${MAX_NESTING} levels at its path, and walks 100,000 levels without overflowing`, () => {
    expect(unsafeInputProblems([{ in: 'body', value: nested(MAX_NESTING) }])).to.deep.equal([]);
    const deep = unsafeInputProblems([{ in: 'body', value: { form: nested(100_000) } }]);
    expect(deep).to.have.length(1);
    expect(deep[0]!.path).to.equal(`/form${'/0'.repeat(MAX_NESTING - 1)}`);
    expect(deep[0]!.message).to.contain(`${MAX_NESTING} levels`);
  });
});
