import { expect } from 'chai';
import type { BusinessConnectorResult, LoadedPlugin } from '@service-hall/plugin-sdk';
import { PluginBusinessConnectors } from '../../../src/adapters/plugin-host/plugin-business-connectors.js';
import {
  ConnectorRejectedError,
  type ConnectorRequest,
} from '../../../src/application/ports/business-connectors.port.js';

/** A loaded plugin whose connector answers from a script, counting its calls. */
function plugin(id: string, answers: () => BusinessConnectorResult): LoadedPlugin & { calls: number } {
  const p = {
    id,
    plugin: id,
    sdkVersion: '^1.0.0',
    calls: 0,
    health: () => ({ status: 'unknown' as const }),
    businessConnector: {
      call: async () => {
        p.calls++;
        return answers();
      },
    },
  };
  return p;
}

const request = (connector: string): ConnectorRequest => ({
  requestId: 'job-1',
  connector,
  caseNumber: '2026-HQ-000001',
  applicationId: 'a-1',
  node: 'allocate',
  fields: { room: '5-302' },
  applicant: { id: '2024110101', type: 'student', unit: 'college-info' },
});

const outcome = (p: Promise<unknown>) =>
  p.then(
    (v) => ({ ok: v }),
    (e: Error) => ({ error: e instanceof ConnectorRejectedError ? `rejected: ${e.reason}` : e.message }),
  );

describe('PluginBusinessConnectors (the host side of plugin connectors)', () => {
  it("serves each plugin's connector under its id: accepted is the reference, rejected is final, retry-later a failure", async () => {
    let next: BusinessConnectorResult = { outcome: 'accepted', reference: 'DORM-7' };
    const dorm = plugin('example-dormitory', () => next);
    const connectors = new PluginBusinessConnectors([
      dorm,
      { id: 'no-connector', plugin: 'no-connector', sdkVersion: '^1.0.0', health: () => ({ status: 'unknown' }) },
    ]);
    expect([...connectors.configured()]).to.deep.equal(['example-dormitory']);
    expect(await outcome(connectors.send(request('example-dormitory')))).to.deep.equal({ ok: { reference: 'DORM-7' } });
    next = { outcome: 'rejected', reason: 'no such building' };
    expect(await outcome(connectors.send(request('example-dormitory')))).to.deep.equal({
      error: 'rejected: no such building',
    });
    next = { outcome: 'retry-later', reason: 'the dormitory system answered 503' };
    expect(await outcome(connectors.send(request('example-dormitory')))).to.deep.equal({
      error: 'the dormitory system answered 503',
    });
    expect(await outcome(connectors.send(request('library')))).to.deep.equal({
      error: "no connector 'library' is configured",
    });
    connectors.shutdown();
  });

  it('a plugin that keeps failing opens its own breaker: further calls fail at once, without reaching it; refusals do not count', async () => {
    const failing = plugin('flaky', () => ({ outcome: 'retry-later', reason: 'down' }));
    const refusing = plugin('strict', () => ({ outcome: 'rejected', reason: 'not eligible' }));
    const connectors = new PluginBusinessConnectors([failing, refusing], {
      resetTimeoutMs: 60_000,
      volumeThreshold: 3,
    });
    for (let i = 0; i < 3; i++) await outcome(connectors.send(request('flaky')));
    for (let i = 0; i < 5; i++) await outcome(connectors.send(request('strict')));
    expect(connectors.openBreakers()).to.deep.equal(['flaky']);
    const before = failing.calls;
    expect(await outcome(connectors.send(request('flaky')))).to.deep.equal({ error: 'Breaker is open' });
    expect(failing.calls, 'not called while open').to.equal(before);
    expect(await outcome(connectors.send(request('strict')))).to.deep.equal({ error: 'rejected: not eligible' });
    connectors.shutdown();
  });
});
