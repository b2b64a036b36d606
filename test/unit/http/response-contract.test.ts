import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { describeApi } from '../../../src/adapters/driving/http/api-document.js';
import { ResponseContract, type SentResponse } from '../../fixtures/response-contract.js';
import { failSupertestOnViolations, watchResponses } from '../../fixtures/response-watch.js';

const contract = new ResponseContract(describeApi());
const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const todo = (status: number, body: Buffer, contentType = 'application/json; charset=utf-8'): SentResponse => ({
  method: 'GET',
  path: '/api/v1/me/todo-count',
  route: '/api/v1/me/todo-count',
  status,
  contentType,
  body,
});
const problem = { type: 'urn:service-hall:problem:X', title: 'Unauthorized', status: 401, code: 'AUTH.NO_SESSION' };

describe('the response contract: responses checked against the OpenAPI document (no database)', () => {
  it('accepts a response that matches its operation, status, content type and schema', () => {
    expect(contract.check(todo(200, json({ assigned: 1, claimable: 2, total: 3 })))).to.equal(null);
    expect(contract.check(todo(401, json(problem), 'application/problem+json; charset=utf-8'))).to.equal(null);
  });

  it('names the operation, the status and every schema error of a body that does not match', () => {
    const v = contract.check(todo(200, json({ assigned: '1', claimable: 2, extra: true })));
    expect(v).to.contain(
      'GET /api/v1/me/todo-count (todoCount) answered 200 with a body that does not match its schema',
    );
    expect(v).to.contain('/assigned must be integer');
    expect(v).to.contain("must have required property 'total'");
    expect(v).to.contain('must NOT have additional properties');
  });

  it('refuses a status the operation does not declare, and a problem that is not a problem document', () => {
    expect(contract.check(todo(418, json(problem), 'application/problem+json'))).to.contain(
      'a status the document does not declare for todoCount',
    );
    expect(contract.check(todo(401, json({ error: 'nope' }), 'application/problem+json'))).to.contain(
      "must have required property 'code'",
    );
  });

  it('refuses an undeclared content type, a body where none is declared, and JSON that is not JSON', () => {
    expect(contract.check(todo(200, Buffer.from('3'), 'text/plain'))).to.contain(
      'as text/plain, but the document declares application/json',
    );
    const logout = {
      method: 'POST',
      path: '/api/v1/auth/logout',
      route: '/api/v1/auth/logout',
      status: 204,
      contentType: undefined,
    };
    expect(contract.check({ ...logout, body: Buffer.alloc(0) })).to.equal(null);
    expect(contract.check({ ...logout, body: Buffer.from('{}') })).to.contain('where the document declares none');
    expect(contract.check(todo(200, Buffer.from('{"assigned":')))).to.contain('not JSON');
  });

  it('finds the operation by its template when the server matched none, preferring the literal path', () => {
    const key = { keyId: 'k', algorithm: 'Ed25519', publicKeyPem: 'PEM' };
    expect(
      contract.check({
        method: 'GET',
        path: '/api/v1/verify/public-key',
        status: 200,
        contentType: 'application/json',
        body: json(key),
      }),
    ).to.equal(null);
    expect(
      contract.check({
        method: 'GET',
        path: '/api/v1/verify/ABC',
        status: 200,
        contentType: 'application/json',
        body: json(key),
      }),
    ).to.contain('(verifyPrintout)');
    expect(
      contract.check({
        method: 'GET',
        path: '/api/v1/nowhere',
        status: 200,
        contentType: 'application/json',
        body: json({}),
      }),
    ).to.contain('is no operation of the document');
  });

  it('a deliberately wrong handler fails the supertest request that receives its answer', async () => {
    failSupertestOnViolations();
    const app = express();
    watchResponses(app, contract);
    let n = 0;
    app.use((_req, res, next) => {
      res.setHeader('X-Request-Id', `contract-test-${++n}`);
      next();
    });
    app.get('/api/v1/me/todo-count', (req, res) => {
      res.locals.route = '/api/v1/me/todo-count';
      if (req.query.wrong === 'status') res.status(202).json({ assigned: 1, claimable: 2, total: 3 });
      else res.json({ assigned: 1, claimable: req.query.wrong === 'body' ? 'two' : 2, total: 3 });
    });
    const outcome = (wrong: string) =>
      request(app)
        .get(`/api/v1/me/todo-count?wrong=${wrong}`)
        .then(
          (r) => `${r.status}`,
          (e: Error) => e.message,
        );
    expect(await outcome('no')).to.equal('200');
    expect(await outcome('body')).to.match(
      /^response contract: GET \/api\/v1\/me\/todo-count \(todoCount\) answered 200 with a body that does not match its schema:\n\s+\/claimable must be integer/,
    );
    expect(await outcome('status')).to.contain(
      'response contract: GET /api/v1/me/todo-count (todoCount) answered 202, a status the document does not declare',
    );
  });
});
