import { expect } from 'chai';
import { AddressRateLimit } from '../../../src/adapters/driving/http/address-rate-limit.js';

describe('AddressRateLimit (calls anyone may make, per client address)', () => {
  it('allows the limit in a window, then says how long to wait; a new window allows again', () => {
    let now = 1_000_000;
    const limit = new AddressRateLimit(3, 60_000, () => now);
    expect([limit.take('10.0.0.1'), limit.take('10.0.0.1'), limit.take('10.0.0.1')]).to.deep.equal([null, null, null]);
    expect(limit.take('10.0.0.1')).to.equal(60);
    expect(limit.take('10.0.0.2'), 'another address has its own window').to.equal(null);
    now += 45_500;
    expect(limit.take('10.0.0.1')).to.equal(15);
    now += 14_500;
    expect(limit.take('10.0.0.1')).to.equal(null);
  });

  it('forgets ended windows once it tracks too many addresses, and keeps counting the live ones', () => {
    let now = 0;
    const limit = new AddressRateLimit(1, 1_000, () => now, 2);
    limit.take('a');
    limit.take('b');
    now = 2_000;
    limit.take('c'); // a and b ended: forgotten
    expect(limit.take('c')).to.equal(1);
    expect(limit.take('a')).to.equal(null);
  });
});
