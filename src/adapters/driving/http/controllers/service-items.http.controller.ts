import { z } from 'zod';
import { SERVICE_ITEM_STATES, type ServiceItemState } from '../../../../domain/service-item/service-item-lifecycle.js';
import { HOURS_RANGE, WORKING_DAYS_RANGE } from '../../../../domain/process-definition/process-definition.js';
import { APPROVING_OFFICES } from '../../../../domain/service-item/service-item.entity.js';
import type { ApplyOnboardingUseCase } from '../../../../application/service-items/apply-onboarding.use-case.js';
import type { CatalogueUseCase } from '../../../../application/service-items/catalogue.use-case.js';
import type { ConfirmVersionUseCase } from '../../../../application/service-items/confirm-version.use-case.js';
import type { DecideServiceItemUseCase } from '../../../../application/service-items/decide-service-item.use-case.js';
import type { DefineProcessUseCase } from '../../../../application/service-items/define-process.use-case.js';
import type { ExportBpmnUseCase } from '../../../../application/service-items/export-bpmn.use-case.js';
import type { ImportBpmnUseCase } from '../../../../application/service-items/import-bpmn.use-case.js';
import type { GetServiceItemUseCase } from '../../../../application/service-items/get-service-item.use-case.js';
import type { LaunchVersionUseCase } from '../../../../application/service-items/launch-version.use-case.js';
import type { ListServiceItemsUseCase } from '../../../../application/service-items/list-service-items.use-case.js';
import type { ReapplyOnboardingUseCase } from '../../../../application/service-items/reapply-onboarding.use-case.js';
import type { RequestOffboardingUseCase } from '../../../../application/service-items/request-offboarding.use-case.js';
import { pageQuery, route, uuidParam, type RouteSpec } from '../route.js';
import { actorOf, reply } from './reply.js';
import {
  CataloguePage,
  ServiceItem,
  ServiceItemPage,
  ServiceItemWithVersions,
  ServiceVersion,
} from '../schemas/service-item.schemas.js';

const itemParams = z.object({ itemId: uuidParam });
const versionParams = z.object({ itemId: uuidParam, versionId: uuidParam });
const text = (max: number) => z.string().trim().min(1).max(max);
const unitKey = z.string().min(1).max(64);
const reason = z.object({ reason: text(1000) }).strict();
const office = z.enum(APPROVING_OFFICES).optional().describe('which office you act for, when you hold both roles');
const TAGS = ['service items'];
const BPMN_MEDIA_TYPE = 'application/bpmn+xml';
const NO_ITEM = { description: 'SERVICE_ITEM.NOT_FOUND: no such item' };
const NOT_YOURS = { description: 'not allowed for your roles in the owning unit' };

export interface ServiceItemUseCases {
  applyOnboarding: ApplyOnboardingUseCase;
  decideServiceItem: DecideServiceItemUseCase;
  reapplyOnboarding: ReapplyOnboardingUseCase;
  defineProcess: DefineProcessUseCase;
  importBpmn: ImportBpmnUseCase;
  exportBpmn: ExportBpmnUseCase;
  confirmVersion: ConfirmVersionUseCase;
  launchVersion: LaunchVersionUseCase;
  requestOffboarding: RequestOffboardingUseCase;
  getServiceItem: GetServiceItemUseCase;
  listServiceItems: ListServiceItemsUseCase;
  catalogue: CatalogueUseCase;
}

export function serviceItemRoutes(uc: ServiceItemUseCases): RouteSpec[] {
  const {
    applyOnboarding: apply,
    decideServiceItem: decide,
    reapplyOnboarding: reapply,
    defineProcess: define,
    importBpmn,
    exportBpmn,
    confirmVersion: confirm,
    launchVersion: launch,
    requestOffboarding: offboard,
    getServiceItem: get,
    listServiceItems: list,
    catalogue,
  } = uc;

  return [
    route({
      method: 'get',
      path: '/api/v1/catalogue',
      operationId: 'catalogue',
      summary: 'Service items open for applications (服务目录)',
      tags: ['catalogue'],
      auth: true,
      query: z.object(pageQuery).strict(),
      responses: { 200: { description: 'a page of the catalogue', schema: CataloguePage } },
      handle: async ({ query }) => reply(await catalogue.execute(query)),
    }),
    route({
      method: 'post',
      path: '/api/v1/service-items',
      operationId: 'applyOnboarding',
      summary: 'File an onboarding application (入驻申请)',
      tags: TAGS,
      auth: true,
      body: z
        .object({
          code: z
            .string()
            .regex(/^[A-Z]{1,6}-[A-Z0-9]{1,12}$/, 'must look like JW-ZDZM')
            .describe('e.g. JW-ZDZM'),
          name: text(100),
          owningUnit: unitKey,
          involvedUnits: z.array(unitKey).max(50).default([]),
          description: text(4000),
          offlineProcedure: text(4000).describe('offline emergency procedure (Art. 4(3)4)'),
        })
        .strict(),
      responses: {
        201: { description: 'filed; awaiting both approvals', schema: ServiceItem },
        403: NOT_YOURS,
        409: { description: 'code taken' },
      },
      handle: async ({ body, ctx }) => reply(await apply.execute({ actor: actorOf(ctx), application: body }), 201),
    }),
    route({
      method: 'get',
      path: '/api/v1/service-items',
      operationId: 'listServiceItems',
      summary: 'Service items by state, as far as you may see them',
      tags: TAGS,
      auth: true,
      query: z
        .object({
          state: z
            .string()
            .optional()
            .describe(`comma-separated: ${SERVICE_ITEM_STATES.join(', ')}`)
            .refine(
              (s) => !s || s.split(',').every((x) => (SERVICE_ITEM_STATES as readonly string[]).includes(x)),
              'unknown state',
            ),
          ...pageQuery,
        })
        .strict(),
      responses: { 200: { description: 'a page of items', schema: ServiceItemPage } },
      handle: async ({ query, ctx }) =>
        reply(
          await list.execute({
            actor: actorOf(ctx),
            states: query.state ? (query.state.split(',') as ServiceItemState[]) : undefined,
            limit: query.limit,
            cursor: query.cursor,
          }),
        ),
    }),
    route({
      method: 'get',
      path: '/api/v1/service-items/{itemId}',
      operationId: 'getServiceItem',
      summary: 'One service item with its versions',
      tags: TAGS,
      auth: true,
      params: itemParams,
      responses: {
        200: { description: 'the item', schema: ServiceItemWithVersions },
        403: { description: 'you may not see this item' },
        404: NO_ITEM,
      },
      handle: async ({ params, ctx }) => reply(await get.execute({ actor: actorOf(ctx), itemId: params.itemId })),
    }),
    route({
      method: 'post',
      path: '/api/v1/service-items/{itemId}/approvals',
      operationId: 'approveServiceItem',
      summary: 'Approve the pending onboarding or offboarding, for your office',
      tags: TAGS,
      auth: true,
      params: itemParams,
      body: z
        .object({ as: office, comment: z.string().max(1000).optional() })
        .strict()
        .default({}),
      responses: {
        200: { description: 'approval recorded', schema: ServiceItem },
        403: { description: 'neither approving office' },
        404: NO_ITEM,
        409: { description: 'already approved, or nothing to approve' },
      },
      handle: async ({ params, body, ctx }) =>
        reply(
          await decide.execute({
            actor: actorOf(ctx),
            itemId: params.itemId,
            decision: 'approve',
            as: body.as,
            comment: body.comment,
          }),
        ),
    }),
    route({
      method: 'post',
      path: '/api/v1/service-items/{itemId}/rejections',
      operationId: 'rejectServiceItem',
      summary: 'Reject the pending onboarding or offboarding, with a reason',
      tags: TAGS,
      auth: true,
      params: itemParams,
      body: z.object({ as: office, reason: text(1000) }).strict(),
      responses: {
        200: { description: 'rejected', schema: ServiceItem },
        403: { description: 'neither approving office' },
        404: NO_ITEM,
        409: { description: 'nothing to reject' },
      },
      handle: async ({ params, body, ctx }) =>
        reply(
          await decide.execute({
            actor: actorOf(ctx),
            itemId: params.itemId,
            decision: 'reject',
            as: body.as,
            reason: body.reason,
          }),
        ),
    }),
    route({
      method: 'post',
      path: '/api/v1/service-items/{itemId}/reapplication',
      operationId: 'reapplyOnboarding',
      summary: 'Revise a rejected onboarding application and file it again',
      tags: TAGS,
      auth: true,
      params: itemParams,
      body: z
        .object({
          name: text(100).optional(),
          description: text(4000).optional(),
          offlineProcedure: text(4000).optional(),
          involvedUnits: z.array(unitKey).max(50).optional(),
        })
        .strict()
        .default({}),
      responses: {
        200: { description: 'filed again', schema: ServiceItem },
        403: NOT_YOURS,
        404: NO_ITEM,
        409: { description: 'not rejected' },
      },
      handle: async ({ params, body, ctx }) =>
        reply(await reapply.execute({ actor: actorOf(ctx), itemId: params.itemId, revision: body })),
    }),
    route({
      method: 'put',
      path: '/api/v1/service-items/{itemId}/draft/definition',
      operationId: 'defineProcess',
      summary: 'Set the process definition of the draft version (nodes, handlers, forms, time limits)',
      tags: TAGS,
      auth: true,
      params: itemParams,
      body: z
        .unknown()
        .describe('a process definition: { form: JSON Schema, nodes: [...] } — see docs/process-definition.md'),
      responses: {
        200: { description: 'the draft version', schema: ServiceVersion },
        403: NOT_YOURS,
        404: NO_ITEM,
        409: { description: 'no draft to define' },
      },
      handle: async ({ params, body, ctx }) =>
        reply(await define.execute({ actor: actorOf(ctx), itemId: params.itemId, definition: body })),
    }),
    route({
      method: 'put',
      path: '/api/v1/service-items/{itemId}/draft/bpmn',
      operationId: 'importBpmn',
      summary: 'Set the process definition of the draft version from a BPMN 2.0 file (bpmn.io, Camunda Modeler)',
      tags: TAGS,
      auth: true,
      params: itemParams,
      body: z
        .object({
          bpmn: z.string().min(1).describe('the BPMN 2.0 XML document — see docs/bpmn.md for what it may hold'),
          form: z
            .record(z.string(), z.unknown())
            .optional()
            .describe("the form (JSON Schema) when the file carries no hall:form; else the draft's current form"),
          defaultTimeLimit: z
            .union([
              z
                .object({ workingDays: z.number().int().min(WORKING_DAYS_RANGE.min).max(WORKING_DAYS_RANGE.max) })
                .strict(),
              z.object({ hours: z.number().int().min(HOURS_RANGE.min).max(HOURS_RANGE.max) }).strict(),
            ])
            .optional()
            .describe('the time limit of every task without a hall:timeLimit'),
        })
        .strict(),
      responses: {
        200: { description: 'the draft version', schema: ServiceVersion },
        400: {
          description:
            'PROCESS_DEFINITION.BPMN_UNSUPPORTED: the file is not readable BPMN or holds elements the hall cannot run, each named at /bpmn/<elementId>; PROCESS_DEFINITION.INVALID: the definition it makes is invalid, each problem at its element',
        },
        403: NOT_YOURS,
        404: NO_ITEM,
        409: { description: 'no draft to define' },
      },
      handle: async ({ params, body, ctx }) =>
        reply(
          await importBpmn.execute({
            actor: actorOf(ctx),
            itemId: params.itemId,
            bpmn: body.bpmn,
            form: body.form,
            defaultTimeLimit: body.defaultTimeLimit,
          }),
        ),
    }),
    route({
      method: 'get',
      path: '/api/v1/service-items/{itemId}/versions/{versionId}/bpmn',
      operationId: 'exportBpmn',
      summary: "A version's process definition as BPMN 2.0 XML with its diagram (opens in bpmn.io)",
      tags: TAGS,
      auth: true,
      params: versionParams,
      responses: {
        200: { description: 'the BPMN 2.0 document', content: { [BPMN_MEDIA_TYPE]: 'text' } },
        403: { description: 'you may not see this item' },
        404: { description: 'no such item or version' },
        409: { description: 'SERVICE_VERSION.NO_DEFINITION: the version has no process definition yet' },
      },
      handle: async ({ params, ctx }) => {
        const xml = await exportBpmn.execute({
          actor: actorOf(ctx),
          itemId: params.itemId,
          versionId: params.versionId,
        });
        if (!xml.ok) throw xml.error;
        return { status: 200, body: xml.value, headers: { 'Content-Type': `${BPMN_MEDIA_TYPE}; charset=utf-8` } };
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/service-items/{itemId}/versions/{versionId}/confirmations',
      operationId: 'confirmVersion',
      summary: 'Confirm a draft version for one involved unit',
      tags: TAGS,
      auth: true,
      params: versionParams,
      body: z.object({ unit: unitKey.optional() }).strict().default({}),
      responses: {
        200: { description: 'confirmed', schema: ServiceVersion },
        403: { description: 'not a service admin of an involved unit' },
        404: { description: 'no such item or version' },
        409: { description: 'already confirmed or not a draft' },
      },
      handle: async ({ params, body, ctx }) =>
        reply(
          await confirm.execute({
            actor: actorOf(ctx),
            itemId: params.itemId,
            versionId: params.versionId,
            unit: body.unit,
          }),
        ),
    }),
    route({
      method: 'post',
      path: '/api/v1/service-items/{itemId}/versions/{versionId}/launch',
      operationId: 'launchVersion',
      summary: 'Launch a draft version through the launch gate (上线)',
      tags: TAGS,
      auth: true,
      params: versionParams,
      responses: {
        200: { description: 'online', schema: ServiceVersion },
        403: NOT_YOURS,
        404: { description: 'no such item or version' },
        409: {
          description:
            'the gate is not met: `missing` lists every requirement (confirmations, handlers, connectors, the form); or not a draft',
        },
      },
      handle: async ({ params, ctx }) =>
        reply(await launch.execute({ actor: actorOf(ctx), itemId: params.itemId, versionId: params.versionId })),
    }),
    route({
      method: 'post',
      path: '/api/v1/service-items/{itemId}/offboarding-requests',
      operationId: 'requestOffboarding',
      summary: 'Request offboarding (下线申请); both offices must approve',
      tags: TAGS,
      auth: true,
      params: itemParams,
      body: reason,
      responses: {
        200: { description: 'awaiting both approvals', schema: ServiceItem },
        403: NOT_YOURS,
        404: NO_ITEM,
        409: { description: 'not online' },
      },
      handle: async ({ params, body, ctx }) =>
        reply(await offboard.execute({ actor: actorOf(ctx), itemId: params.itemId, reason: body.reason })),
    }),
  ];
}
