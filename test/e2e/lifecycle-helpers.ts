import request from 'supertest';
import type { TestApp } from '../fixtures/test-app.js';

export type Method = 'get' | 'post' | 'put' | 'delete';

/** Calls the API as a demo account. */
export function as(t: TestApp, username: string) {
  const call = async (method: Method, path: string, body?: unknown) => {
    const token = await t.login(username);
    const req = request(t.app)[method](path).set('Authorization', `Bearer ${token}`);
    return body === undefined ? req : req.send(body as object);
  };
  return {
    get: (path: string) => call('get', path),
    post: (path: string, body?: unknown) => call('post', path, body),
    put: (path: string, body?: unknown) => call('put', path, body),
    delete: (path: string) => call('delete', path),
  };
}

export const application = {
  code: 'CW-CLBX',
  name: '差旅费报销',
  owningUnit: 'finance',
  involvedUnits: ['academic-affairs'],
  description: '教职工差旅费网上报销',
  offlineProcedure: '打印报销单，附发票原件投递至财务处。',
};

export function definition(secondReviewRole = 'handler') {
  return {
    form: {
      type: 'object',
      required: ['amount', 'purpose'],
      properties: {
        amount: { type: 'number', minimum: 0.01, title: '金额' },
        purpose: { type: 'string', maxLength: 200, title: '事由' },
        invoice_no: { type: 'string', title: '发票号' },
      },
    },
    nodes: [
      { key: 'apply', kind: 'start', name: '提交申请' },
      {
        key: 'check',
        kind: 'review',
        name: '财务审核',
        handlers: { type: 'role', role: 'handler', unit: 'finance' },
        timeLimit: { workingDays: 2 },
        fields: { visible: ['amount', 'purpose', 'invoice_no'], editable: ['invoice_no'] },
      },
      {
        key: 'teaching',
        kind: 'approve',
        name: '教务处审批',
        handlers: { type: 'role', role: secondReviewRole, unit: 'academic-affairs' },
        timeLimit: { workingDays: 3 },
      },
      {
        key: 'pay',
        kind: 'complete',
        name: '办结',
        handlers: { type: 'people', people: ['T0302'] },
        timeLimit: { hours: 8 },
      },
    ],
  };
}

/** Drives a new item to a confirmed draft version 1, ready for the launch gate. */
export async function launchableItem(
  t: TestApp,
  code: string,
  def: unknown = definition(),
): Promise<{ itemId: string; versionId: string }> {
  const created = await as(t, 'cw-admin').post('/api/v1/service-items', { ...application, code });
  const itemId = created.body.id as string;
  await as(t, 'xb-officer').post(`/api/v1/service-items/${itemId}/approvals`);
  await as(t, 'it-officer').post(`/api/v1/service-items/${itemId}/approvals`);
  const v = await as(t, 'cw-admin').put(`/api/v1/service-items/${itemId}/draft/definition`, def);
  if (v.status !== 200) throw new Error(`define ${code}: ${JSON.stringify(v.body)}`);
  const versionId = v.body.id as string;
  await as(t, 'cw-admin').post(`/api/v1/service-items/${itemId}/versions/${versionId}/confirmations`);
  await as(t, 'jw-admin').post(`/api/v1/service-items/${itemId}/versions/${versionId}/confirmations`);
  return { itemId, versionId };
}

/** Launches a new finance item (finance + academic-affairs involved) with the given definition. */
export async function onlineItem(
  t: TestApp,
  code: string,
  def: unknown,
): Promise<{ itemId: string; versionId: string }> {
  const ids = await launchableItem(t, code, def);
  const res = await as(t, 'cw-admin').post(`/api/v1/service-items/${ids.itemId}/versions/${ids.versionId}/launch`);
  if (res.status !== 200) throw new Error(`launch ${code}: ${JSON.stringify(res.body)}`);
  return ids;
}

/**
 * 变更: finance's admin files a change request of an online finance item and the IT Office accepts
 * it; returns the draft version it opened.
 */
export async function openChange(t: TestApp, itemId: string, reason: string): Promise<string> {
  const filed = await as(t, 'cw-admin').post(`/api/v1/service-items/${itemId}/change-requests`, {
    reason,
    needs: [{ aspect: 'process', description: reason }],
  });
  if (filed.status !== 201) throw new Error(`change request: ${JSON.stringify(filed.body)}`);
  const accepted = await as(t, 'it-officer').post(`/api/v1/change-requests/${filed.body.id}/decision`, {
    decision: 'accept',
  });
  if (accepted.status !== 200) throw new Error(`accept change: ${JSON.stringify(accepted.body)}`);
  return accepted.body.versionId as string;
}

/** definition() drawn as BPMN 2.0 (hall: attributes, no diagram), for the PUT …/draft/bpmn route. */
export function definitionBpmn(secondReviewRole = 'handler'): string {
  const { form } = definition(secondReviewRole);
  const json = (v: unknown) => JSON.stringify(v).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:hall="https://service-hall.example/bpmn" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="Process_1" isExecutable="true">
    <bpmn:extensionElements><hall:form>${json(form).replace(/&quot;/g, '"')}</hall:form></bpmn:extensionElements>
    <bpmn:startEvent id="apply" name="提交申请" />
    <bpmn:userTask id="check" name="财务审核" hall:kind="review" hall:timeLimit="2d"
      hall:handlers="${json({ type: 'role', role: 'handler', unit: 'finance' })}"
      hall:step="${json({ fields: { visible: ['amount', 'purpose', 'invoice_no'], editable: ['invoice_no'] } })}" />
    <bpmn:userTask id="teaching" name="教务处审批" hall:timeLimit="3d"
      hall:handlers="${json({ type: 'role', role: secondReviewRole, unit: 'academic-affairs' })}" />
    <bpmn:userTask id="pay" name="办结" hall:timeLimit="8h" hall:handlers="${json({ type: 'people', people: ['T0302'] })}" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="apply" targetRef="check" />
    <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="teaching" />
    <bpmn:sequenceFlow id="f3" sourceRef="teaching" targetRef="pay" />
    <bpmn:sequenceFlow id="f4" sourceRef="pay" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;
}
