import { expect } from 'chai';
import { PluginHttpError, classifyError, classifyStatus, createPluginHttp, RejectedError } from '../src/index.js';
import { startPeer, type TestPeer } from '../src/testing/index.js';

async function failure(promise: Promise<unknown>): Promise<PluginHttpError> {
  try {
    await promise;
  } catch (err) {
    expect(err).to.be.instanceOf(PluginHttpError);
    return err as PluginHttpError;
  }
  throw new Error('expected a failure');
}

describe('the http service a plugin is given', () => {
  let peer: TestPeer;
  beforeEach(async () => {
    peer = await startPeer();
  });
  afterEach(() => peer.close());

  it('cuts off a request the server never answers at the default timeout, as a timeout', async () => {
    peer.behave('hang');
    const http = createPluginHttp({ defaultTimeoutMs: 200 });
    const started = Date.now();
    const err = await failure(http.fetch(`${peer.url}/slow`));
    expect(Date.now() - started).to.be.within(150, 1_500);
    expect(err.kind).to.equal('timeout');
    expect(err.message).to.equal(`GET ${peer.url}/slow: no response within 200 ms`);
  });

  it("a request's own timeoutMs overrides the default", async () => {
    peer.behave('hang');
    const http = createPluginHttp({ defaultTimeoutMs: 60_000 });
    const started = Date.now();
    expect((await failure(http.fetch(peer.url, { timeoutMs: 100 }))).kind).to.equal('timeout');
    expect(Date.now() - started).to.be.below(1_500);
  });

  it("the caller's signal aborts the request, as aborted", async () => {
    peer.behave('hang');
    const http = createPluginHttp({ defaultTimeoutMs: 60_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect((await failure(http.fetch(peer.url, { signal: controller.signal }))).kind).to.equal('aborted');
  });

  it('a dropped connection is a network error; an answer of any status resolves', async () => {
    const http = createPluginHttp({ defaultTimeoutMs: 2_000 });
    peer.behave('drop');
    expect((await failure(http.fetch(peer.url, { method: 'POST', body: '{}' }))).kind).to.equal('network');
    peer.behave({ status: 503 });
    expect((await http.fetch(peer.url)).status).to.equal(503);
  });

  it('classifies statuses and errors: 4xx rejected, 408/429/5xx and failures retry-later', () => {
    expect([200, 201, 204].map(classifyStatus)).to.deep.equal(['accepted', 'accepted', 'accepted']);
    expect([400, 404, 409, 422].map(classifyStatus)).to.deep.equal(Array(4).fill('rejected'));
    expect([408, 429, 500, 502, 503].map(classifyStatus)).to.deep.equal(Array(5).fill('retry-later'));
    expect(classifyError(new PluginHttpError('timeout', 'slow'))).to.deep.equal({
      outcome: 'retry-later',
      reason: 'timeout: slow',
    });
    expect(classifyError(new RejectedError('not a student'))).to.deep.equal({
      outcome: 'rejected',
      reason: 'not a student',
    });
    expect(classifyError(new Error('boom')).outcome).to.equal('retry-later');
  });
});
