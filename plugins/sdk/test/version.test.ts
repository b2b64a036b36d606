import { expect } from 'chai';
import { SDK_VERSION, isValidRange, satisfies } from '../src/index.js';

describe('plugin SDK version ranges', () => {
  it('the SDK is 1.1.0, as its package says', async () => {
    const { default: pkg } = await import('../package.json', { with: { type: 'json' } });
    expect(SDK_VERSION).to.equal(pkg.version).and.equal('1.1.0');
  });

  const cases: Array<[string, string, boolean]> = [
    ['1.0.0', '^1.0.0', true],
    ['1.4.2', '^1.0.0', true],
    ['2.0.0', '^1.0.0', false],
    ['1.0.0', '^1.1.0', false],
    ['0.3.1', '^0.3.0', true],
    ['0.4.0', '^0.3.0', false],
    ['0.0.4', '^0.0.3', false],
    ['1.2.9', '~1.2.0', true],
    ['1.3.0', '~1.2.0', false],
    ['1.0.0', '1.0.0', true],
    ['1.0.1', '1.0.0', false],
    ['1.5.0', '>=1.2.0 <2.0.0', true],
    ['2.0.0', '>=1.2.0 <2.0.0', false],
    ['3.1.0', '^1.0.0 || ^3.0.0', true],
  ];
  for (const [version, range, expected] of cases) {
    it(`${version} ${expected ? 'satisfies' : 'does not satisfy'} ${range}`, () => {
      expect(satisfies(version, range)).to.equal(expected);
    });
  }

  it('knows a range it cannot read', () => {
    expect(isValidRange('^1.0.0')).to.equal(true);
    expect(isValidRange('1.x')).to.equal(false);
    expect(isValidRange('latest')).to.equal(false);
    expect(isValidRange('')).to.equal(false);
  });
});
