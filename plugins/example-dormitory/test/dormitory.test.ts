import { expect } from 'chai';
import { loadPlugin } from '@service-hall/plugin-sdk';
import {
  businessConnectorConformance,
  fakeHost,
  sampleConnectorRequest,
  startPeer,
  type TestPeer,
} from '@service-hall/plugin-sdk/testing';
import dormitory from '../src/index.js';

const secrets = { token: 'dorm-secret-token' };

// The SDK's conformance suite, against a real local HTTP server standing in for the dormitory system.
businessConnectorConformance({
  plugin: dormitory,
  config: (url) => ({ url, timeoutMs: 400 }),
  ownTimeoutMs: 400,
  secrets,
  peer: {
    accept: () => ({ status: 201, body: { reference: 'DORM-2026-0042' } }),
    reject: { status: 422, body: { error: 'the applicant already has a room' } },
  },
});

describe('example-dormitory', () => {
  let peer: TestPeer;
  beforeEach(async () => {
    peer = await startPeer({ status: 201, body: { reference: 'DORM-2026-0042' } });
  });
  afterEach(() => peer.close());

  const load = (host = fakeHost(), config: unknown = { url: peer.url }) =>
    loadPlugin(dormitory, { config, secrets }, host);

  it('posts the case to /v1/allocations with the token and the idempotency key, and returns the reference', async () => {
    const { businessConnector } = await load();
    const result = await businessConnector!.call(sampleConnectorRequest({ idempotencyKey: 'key-42' }));
    expect(result).to.deep.equal({ outcome: 'accepted', reference: 'DORM-2026-0042' });
    const [request] = peer.requests;
    expect(request!.method).to.equal('POST');
    expect(request!.path).to.equal('/v1/allocations');
    expect(request!.headers.authorization).to.equal('Bearer dorm-secret-token');
    expect(request!.headers['idempotency-key']).to.equal('key-42');
    expect(request!.json).to.deep.include({ caseNumber: 'SH-2026-000123', node: 'dormitory-allocation' });
    expect((request!.json as { fields: unknown }).fields).to.deep.equal({
      building: 'B7',
      room: '302',
      moveInDate: '2026-09-01',
    });
  });

  it("takes the refusal's reason from the system's answer", async () => {
    peer.behave({ status: 409, body: { error: 'no room left in B7' } });
    const { businessConnector } = await load();
    expect(await businessConnector!.call(sampleConnectorRequest())).to.deep.equal({
      outcome: 'rejected',
      reason: 'no room left in B7',
    });
  });

  it('honours Retry-After, and reports itself degraded while the system is down', async () => {
    peer.behave({ status: 503, headers: { 'retry-after': '120' } });
    const host = fakeHost();
    const loaded = await load(host);
    const result = await loaded.businessConnector!.call(sampleConnectorRequest());
    expect(result).to.deep.include({ outcome: 'retry-later', afterSeconds: 120 });
    expect(loaded.health()).to.deep.include({ status: 'degraded' });
    expect(host.health.map((h) => h.pluginId)).to.deep.equal(['example-dormitory']);
  });

  it('reports itself down when the system cannot be reached', async () => {
    peer.behave('drop');
    const loaded = await load();
    expect((await loaded.businessConnector!.call(sampleConnectorRequest())).outcome).to.equal('retry-later');
    expect(loaded.health()).to.deep.include({ status: 'down' });
  });

  it('refuses to start without a URL, or without its token, naming itself and the key', async () => {
    let error: unknown;
    try {
      await loadPlugin(dormitory, { config: { url: 'not a url' }, secrets }, fakeHost());
    } catch (err) {
      error = err;
    }
    expect(String((error as Error).message)).to.equal('plugin example-dormitory: config.url: Invalid URL');
    try {
      await loadPlugin(dormitory, { config: { url: peer.url } }, fakeHost());
    } catch (err) {
      error = err;
    }
    expect(String((error as Error).message)).to.equal('plugin example-dormitory: secrets.token: missing');
  });
});
