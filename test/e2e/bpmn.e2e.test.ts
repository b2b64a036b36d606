import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { as, application } from './lifecycle-helpers.js';
import { act, apply, reimbursement, taskOf, type AppBody } from './application-helpers.js';

const camunda = readFileSync(new URL('../fixtures/bpmn/camunda-reimbursement.bpmn', import.meta.url), 'utf8');
const form = reimbursement().form;

describe('BPMN 2.0 import and export over HTTP (e2e)', () => {
  let t: TestApp;
  let seq = 0;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => {
    await t.close();
  });

  /** A new finance item approved by both offices: building, no version yet. */
  const buildingItem = async (): Promise<string> => {
    const created = await as(t, 'cw-admin').post('/api/v1/service-items', { ...application, code: `CW-BP${++seq}` });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const itemId = created.body.id as string;
    expect((await as(t, 'xb-officer').post(`/api/v1/service-items/${itemId}/approvals`)).status).to.equal(200);
    expect((await as(t, 'it-officer').post(`/api/v1/service-items/${itemId}/approvals`)).status).to.equal(200);
    return itemId;
  };
  const importInto = (itemId: string, body: unknown, who = 'cw-admin') =>
    as(t, who).put(`/api/v1/service-items/${itemId}/draft/bpmn`, body);
  const versionsOf = async (itemId: string) =>
    (await as(t, 'cw-admin').get(`/api/v1/service-items/${itemId}`)).body.versions as Array<{
      id: string;
      definition: unknown;
    }>;

  let launched: { itemId: string; versionId: string };

  it('a file drawn in Camunda Modeler imports into the draft, launches, and runs through both parallel branches and both exclusive branches', async () => {
    const itemId = await buildingItem();
    const res = await importInto(itemId, { bpmn: camunda, form, defaultTimeLimit: { workingDays: 3 } });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const versionId = res.body.id as string;
    for (const who of ['cw-admin', 'jw-admin'])
      expect(
        (await as(t, who).post(`/api/v1/service-items/${itemId}/versions/${versionId}/confirmations`)).status,
      ).to.equal(200);
    const launch = await as(t, 'cw-admin').post(`/api/v1/service-items/${itemId}/versions/${versionId}/launch`);
    expect(launch.status, JSON.stringify(launch.body)).to.equal(200);
    launched = { itemId, versionId };

    const throughParallel = async (amount: number): Promise<AppBody> => {
      let a = await apply(t, itemId, 'student-xx', { amount, purpose: '赴京参加学术会议' });
      expect(a.activeNodes).to.deep.equal(['activity_0x1y2z3']);
      const first = a.currentTasks[0]!.id;
      expect((await act(t, 'cw-handler', first, 'claim')).status).to.equal(200);
      a = (await act(t, 'cw-handler', first, 'approve')).body;
      expect([...a.activeNodes].sort(), 'both parallel branches are open').to.deep.equal([
        'activity_0d9e8f7',
        'activity_1a2b3c4',
      ]);
      a = (await act(t, 'cw-handler', taskOf(a, 'T0302', 'activity_1a2b3c4'), 'approve')).body;
      a = (await act(t, 'jw-admin', taskOf(a, 'T0101', 'activity_0d9e8f7'), 'approve')).body;
      expect(a.activeNodes, 'the countersign waits for both').to.deep.equal(['activity_0d9e8f7']);
      return (await act(t, 'jw-handler', taskOf(a, 'T0102', 'activity_0d9e8f7'), 'approve')).body as AppBody;
    };

    // more than 1000 by a student: the conditioned flow, to the academic-affairs pool
    let big = await throughParallel(1280.5);
    expect(big.activeNodes).to.deep.equal(['activity_2hi3jk4']);
    const pool = big.currentTasks[0]!.id;
    expect((await act(t, 'jw-handler', pool, 'claim')).status).to.equal(200);
    big = (await act(t, 'jw-handler', pool, 'approve')).body;
    expect(big.activeNodes).to.deep.equal(['activity_3l4m5n6']);
    big = (await act(t, 'cw-handler', taskOf(big, 'T0302'), 'approve')).body;
    expect(big.state).to.equal('completed');

    // 200: the default flow, straight to 办结
    let small = await throughParallel(200);
    expect(small.activeNodes).to.deep.equal(['activity_3l4m5n6']);
    small = (await act(t, 'cw-handler', taskOf(small, 'T0302'), 'approve')).body;
    expect(small.state).to.equal('completed');
  });

  it('exports a version as application/bpmn+xml with its diagram; the export imports back into another draft as the same definition', async () => {
    const { itemId, versionId } = launched;
    const res = await as(t, 'auditor').get(`/api/v1/service-items/${itemId}/versions/${versionId}/bpmn`);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/^application\/bpmn\+xml/);
    const xml = res.text;
    expect(xml).to.include('<bpmndi:BPMNDiagram').and.include('<bpmn:parallelGateway id="gateway_1k3j5h7"');
    const original = (await versionsOf(itemId)).find((v) => v.id === versionId)!.definition;

    const other = await buildingItem();
    const again = await importInto(other, { bpmn: xml });
    expect(again.status, JSON.stringify(again.body)).to.equal(200);
    expect((await versionsOf(other))[0]!.definition).to.deep.equal(original);
  });

  it('refuses a file with unsupported elements in one 400 naming each, and one whose definition is invalid at its elements; nothing changes', async () => {
    const itemId = await buildingItem();
    const unsupported = camunda
      .replace(
        '<bpmn:endEvent id="Event_0v5w6x7"',
        '<bpmn:boundaryEvent id="Event_1timer" attachedToRef="Activity_0x1y2z3"><bpmn:timerEventDefinition /></bpmn:boundaryEvent><bpmn:serviceTask id="Activity_9svc" /><bpmn:endEvent id="Event_0v5w6x7"',
      )
      .replace('<bpmn:userTask id="Activity_1a2b3c4"', '<bpmn:userTask id="Activity_1a2b3c4" ');
    const res = await importInto(itemId, { bpmn: unsupported, form, defaultTimeLimit: { workingDays: 3 } });
    expect(res.status).to.equal(400);
    expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(res.body.code).to.equal('PROCESS_DEFINITION.BPMN_UNSUPPORTED');
    expect(res.body.errors.map((e: { path: string }) => e.path)).to.have.members([
      '/bpmn/Event_1timer',
      '/bpmn/Activity_9svc',
    ]);

    const invalid = camunda
      .replace('handler:finance', 'no-such-role:finance')
      .replace('camunda:candidateUsers="T0101,T0102"', 'camunda:candidateUsers="T0101,T9999"');
    const bad = await importInto(itemId, { bpmn: invalid, form, defaultTimeLimit: { workingDays: 3 } });
    expect(bad.status).to.equal(400);
    expect(bad.body.code).to.equal('PROCESS_DEFINITION.INVALID');
    expect(bad.body.errors.map((e: { path: string }) => e.path)).to.have.members([
      '/bpmn/Activity_0x1y2z3/handlers/role',
      '/bpmn/Activity_0d9e8f7/handlers/people/1',
    ]);

    for (const [bpmn, path] of [
      ['<bpmn:definitions><unclosed>', '/bpmn'],
      ['<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>', '/bpmn'],
    ]) {
      const r = await importInto(itemId, { bpmn, form });
      expect([r.status, r.body.errors.map((e: { path: string }) => e.path)]).to.deep.equal([400, [path]]);
    }
    const shape = await importInto(itemId, { bpmn: 42, defaultTimeLimit: { days: 3 }, extra: true });
    expect(shape.status).to.equal(400);
    expect(shape.body.errors.map((e: { path: string }) => e.path)).to.include.members(['/bpmn', '/defaultTimeLimit']);
    expect(await versionsOf(itemId)).to.deep.equal([]);
  });

  it('only the owning unit may import (403); with no draft it is 409; export is refused to those who may not read the item', async () => {
    const itemId = await buildingItem();
    const body = { bpmn: camunda, form, defaultTimeLimit: { workingDays: 3 } };
    for (const who of ['jw-admin', 'student-xx', 'cw-handler'])
      expect((await importInto(itemId, body, who)).status, who).to.equal(403);
    const online = await importInto(launched.itemId, body);
    expect([online.status, online.body.code]).to.deep.equal([409, 'SERVICE_ITEM.NO_DRAFT']);
    const path = `/api/v1/service-items/${launched.itemId}/versions/${launched.versionId}/bpmn`;
    for (const who of ['student-xx', 'xg-admin']) expect((await as(t, who).get(path)).status, who).to.equal(403);
    expect((await as(t, 'jw-admin').get(path)).status, 'an involved unit admin').to.equal(200);
  });
});
