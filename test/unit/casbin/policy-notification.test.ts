import { expect } from 'chai';
import {
  decodeNotification,
  encodeNotification,
  MAX_PAYLOAD_BYTES,
} from '../../../src/adapters/driven/casbin/policy-notification.js';

describe('policy notifications (the NOTIFY payloads of hall_policy_changed)', () => {
  it('round-trip changes, reload markers and sync barriers', () => {
    const changes = [
      { subject: '张三, "x"', role: 'handler', unit: 'finance', added: true },
      { subject: 'T1', role: 'auditor', unit: '*', added: false },
    ];
    expect(decodeNotification(encodeNotification({ kind: 'changes', changes }, 'w.1'))).to.deep.equal({
      kind: 'changes',
      changes,
    });
    expect(decodeNotification(encodeNotification({ kind: 'reload' }, 'w.2'))).to.deep.equal({ kind: 'reload' });
    expect(decodeNotification(encodeNotification({ kind: 'sync', token: 'abc' }))).to.deep.equal({
      kind: 'sync',
      token: 'abc',
    });
  });

  it('distinguish identical changes by their nonce, since PostgreSQL delivers identical payloads of a transaction once', () => {
    const change = { subject: 'T1', role: 'handler', unit: 'finance', added: true };
    expect(encodeNotification({ kind: 'changes', changes: [change] }, 'w.1')).to.not.equal(
      encodeNotification({ kind: 'changes', changes: [change] }, 'w.3'),
    );
  });

  it('refuse to encode a payload PostgreSQL would refuse', () => {
    const fits = { subject: 'x'.repeat(MAX_PAYLOAD_BYTES - 100), role: 'r', unit: 'u', added: true };
    expect(encodeNotification({ kind: 'changes', changes: [fits] })).to.be.a('string');
    const tooLong = { ...fits, subject: '张'.repeat(MAX_PAYLOAD_BYTES / 3) };
    expect(encodeNotification({ kind: 'changes', changes: [tooLong] })).to.equal(undefined);
  });

  it('read anything unexpected as a request to reload everything', () => {
    for (const payload of [
      undefined,
      '',
      'g',
      'null',
      '42',
      '{}',
      '{"g":"x"}',
      '{"g":[["*","a","b","c"]]}',
      '{"g":[["+","a","b"]]}',
      '{"g":[["+","a",1,"c"]]}',
    ]) {
      expect(decodeNotification(payload), String(payload)).to.deep.equal({ kind: 'reload' });
    }
  });
});
