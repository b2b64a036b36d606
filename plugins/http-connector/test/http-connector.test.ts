import { expect } from 'chai';
import { loadPlugin } from '@service-hall/plugin-sdk';
import {
  businessConnectorConformance,
  fakeHost,
  sampleConnectorRequest,
  startPeer,
  type TestPeer,
} from '@service-hall/plugin-sdk/testing';
import httpConnector from '../src/index.js';

// The SDK's conformance suite, against a real local HTTP server standing in for a department's system.
businessConnectorConformance({
  plugin: httpConnector,
  config: (url) => ({ url: `${url}/cases`, timeoutMs: 400 }),
  ownTimeoutMs: 400,
  secrets: { token: 'finance-secret-token' },
  peer: {
    accept: () => ({ status: 200, body: { reference: 'FIN-2026-0007' } }),
    reject: { status: 422, body: { error: 'the budget code is closed' } },
  },
});

describe('http-connector', () => {
  let peer: TestPeer;
  beforeEach(async () => {
    peer = await startPeer({ status: 200, body: { reference: 'FIN-2026-0007' } });
  });
  afterEach(() => peer.close());

  const load = (secrets: Record<string, string> = {}, host = fakeHost()) =>
    loadPlugin(
      httpConnector,
      { instance: 'finance-reimbursement', config: { url: `${peer.url}/cases`, timeoutMs: 1000 }, secrets },
      host,
    );

  it('posts the case under its instance id, with the idempotency key, and returns the reference', async () => {
    const { businessConnector } = await load();
    const request = sampleConnectorRequest({ idempotencyKey: 'job-42' });
    expect(await businessConnector!.call(request)).to.deep.equal({ outcome: 'accepted', reference: 'FIN-2026-0007' });
    const [sent] = peer.requests;
    expect(sent!.method).to.equal('POST');
    expect(sent!.path).to.equal('/cases');
    expect(sent!.headers['idempotency-key']).to.equal('job-42');
    expect(sent!.headers.authorization, 'no token configured, none sent').to.equal(undefined);
    expect(sent!.json).to.deep.equal({
      requestId: 'job-42',
      connector: 'finance-reimbursement',
      caseNumber: request.caseNumber,
      applicationId: request.applicationId,
      node: request.node,
      applicant: request.applicant,
      fields: request.fields,
    });
  });

  it('sends its token as a bearer token when one is given', async () => {
    const { businessConnector } = await load({ token: 'fin-token-1' });
    await businessConnector!.call(sampleConnectorRequest());
    expect(peer.requests[0]!.headers.authorization).to.equal('Bearer fin-token-1');
  });

  it('a 4xx refuses the case for good with the system’s reason; 503 is tried again later, honouring Retry-After', async () => {
    const { businessConnector, health } = await load();
    peer.behave({ status: 409, body: { error: 'case already filed' } });
    expect(await businessConnector!.call(sampleConnectorRequest())).to.deep.equal({
      outcome: 'rejected',
      reason: 'case already filed',
    });
    peer.behave({ status: 503, headers: { 'retry-after': '90' }, body: 'maintenance' });
    expect(await businessConnector!.call(sampleConnectorRequest())).to.deep.include({
      outcome: 'retry-later',
      afterSeconds: 90,
    });
    expect(health()).to.deep.include({ status: 'degraded' });
  });

  it('refuses to start without a usable URL, naming its instance and the key', async () => {
    const error = await loadPlugin(
      httpConnector,
      { instance: 'finance-reimbursement', config: { url: 'ftp://finance.example.edu/cases', timeoutMs: 10 } },
      fakeHost(),
    )
      .then(() => null)
      .catch((e: Error) => e);
    expect(error?.message).to.match(/^plugin finance-reimbursement: config\.url: [^;]+; config\.timeoutMs: /);
  });
});
