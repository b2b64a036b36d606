/**
 * Every event the hall writes to its outbox, as the public data platform (公共数据平台) receives it:
 * the topic, the aggregate it is about (the outbox's aggregate_type; its id is the subject), and a
 * JSON Schema (2020-12) of its data. Data carries ids, codes and states, and form contents only in
 * `application.completed` (what a service produced, Art. 5 and 9), where the fields its form schema
 * marks personal are masked or left out for each sink as configured (Art. 15). `actor` is the person
 * id of who acted, or `system`. The e2e tests check every outbox row they cause against this list,
 * and `npm run events:generate` writes docs/events.md and clients/events/*.schema.json from it.
 */
export type JsonSchema = Record<string, unknown>;

export interface EventType {
  topic: string;
  aggregate:
    | 'application'
    | 'task'
    | 'service-item'
    | 'service-version'
    | 'person'
    | 'follow-up'
    | 'printout'
    | 'calendar-year'
    | 'directory'
    | 'job-queue'
    | 'drill'
    | 'role-filing'
    | 'audit-log'
    | 'outbox-sink';
  summary: string;
  data: JsonSchema;
}

const str = { type: 'string', minLength: 1 };
const id = { type: 'string', minLength: 1, description: 'an id (uuid, or a person id)' };
const caseNumber = { type: 'string', minLength: 1, description: '办件编号, e.g. 2026-JW-000123' };
const int = { type: 'integer' };
const people = { type: 'array', items: str };

/** `actor` and the topic's own members, each required unless named optional; nothing else. */
function data(members: Record<string, unknown>, optional: readonly string[] = []): JsonSchema {
  const properties = {
    actor: { type: 'string', minLength: 1, description: 'person id of who acted, or `system`' },
    ...members,
  };
  return {
    type: 'object',
    properties,
    required: Object.keys(properties).filter((k) => !optional.includes(k)),
    additionalProperties: false,
  };
}

const task = (verb: string, summary: string): EventType => ({
  topic: `task.${verb}`,
  aggregate: 'application',
  summary,
  data: data({ taskId: id, caseNumber }),
});

const decision = (phase: 'onboarding' | 'offboarding', outcome: string, summary: string): EventType => ({
  topic: `service-item.${phase}-${outcome}`,
  aggregate: 'service-item',
  summary,
  data: data({ office: { enum: ['president-office', 'it-office'] }, state: str }),
});

const reminder = (aggregate: 'task' | 'follow-up', verb: string, summary: string): EventType => ({
  topic: `${aggregate}.${verb}`,
  aggregate,
  summary,
  data: data({
    applicationId: id,
    ...(aggregate === 'task' ? { caseNumber } : {}),
    kind: { enum: ['before-due', 'due', 'overdue'] },
    notified: { ...people, description: 'who was told' },
  }),
});

const calendar = (verb: string, summary: string): EventType => ({
  topic: `calendar.${verb}`,
  aggregate: 'calendar-year',
  summary,
  data: data({ year: int }),
});

export const EVENT_TYPES: readonly EventType[] = [
  // applications (办件)
  {
    topic: 'application.drafted',
    aggregate: 'application',
    summary: 'an applicant saved a draft',
    data: data({ itemId: id, versionId: id, caseNumber: { type: 'null' } }),
  },
  {
    topic: 'application.submitted',
    aggregate: 'application',
    summary: 'an application was submitted (it has its case number)',
    data: data({ itemId: id, versionId: id, caseNumber }),
  },
  {
    topic: 'application.completed',
    aggregate: 'application',
    summary:
      'it was completed (办结): its final form, for the data platform; the fields its form schema marks personal ' +
      '(`x-sensitive`) reach each sink masked or left out, as that sink is configured',
    data: data({
      itemId: id,
      versionId: id,
      caseNumber,
      form: { type: 'object', description: 'the final form, personal fields masked or left out' },
      personalFields: {
        type: 'array',
        items: str,
        description: 'JSON Pointers of the personal fields (`*`: every member of an array or map)',
      },
    }),
  },
  {
    topic: 'application.withdrawn',
    aggregate: 'application',
    summary: 'the applicant withdrew it',
    data: data({ caseNumber }),
  },
  {
    topic: 'application.cancelled',
    aggregate: 'application',
    summary:
      "it was cancelled (撤销): by its applicant, or, with `byAdmin`, by the owning unit's service admin or the IT Office",
    data: data({ caseNumber, byAdmin: { const: true, description: 'cancelled by an admin' } }, ['byAdmin']),
  },
  {
    topic: 'application.jumped',
    aggregate: 'application',
    summary: "the owning unit's service admin or the IT Office moved it to another step (跳转), with a reason",
    data: data({ caseNumber, target: str }),
  },
  {
    topic: 'application.moved-version',
    aggregate: 'application',
    summary:
      "the owning unit's service admin or the IT Office moved it to the item's new online version, by a node mapping",
    data: data({
      caseNumber: { anyOf: [caseNumber, { type: 'null', description: 'a draft' }] },
      fromVersionId: id,
      toVersionId: id,
    }),
  },
  {
    topic: 'application.commented',
    aggregate: 'application',
    summary:
      'a comment was added to its history (the text is not in the event); an applicant may comment on a draft, which has no case number yet',
    data: data({ caseNumber: { anyOf: [caseNumber, { type: 'null', description: 'a draft' }] } }),
  },
  {
    topic: 'application.urged',
    aggregate: 'application',
    summary: 'the applicant urged the holders of its open tasks (催办)',
    data: data({
      caseNumber,
      holders: {
        type: 'array',
        description: 'the holders of its open tasks: a person id, or a role in a unit for a pool task',
        items: {
          oneOf: [
            str,
            {
              type: 'object',
              properties: { role: str, unit: str },
              required: ['role', 'unit'],
              additionalProperties: false,
            },
          ],
        },
      },
    }),
  },
  { topic: 'attachment.added', aggregate: 'application', summary: 'a file was attached', data: data({}) },
  task('claimed', 'a handler claimed a pool task'),
  task('unclaimed', 'a handler gave a claimed task back'),
  task('approved', 'a task was approved (通过)'),
  task('rejected', 'a task was rejected (驳回): the application ends'),
  task('returned', 'a task was returned (退回) to the applicant or an earlier step'),
  task('transferred', 'a task was handed to someone else (转办)'),
  task('delegated', 'a task was delegated (委派)'),
  task('delegation-resolved', 'a delegated task came back'),
  task('signer-added', 'a signer was added (加签)'),
  task('signer-removed', 'a signer was removed (减签)'),
  task('copied', 'the application was copied to people (抄送)'),
  task('taken-back', 'who approved a step took the application back to it (拿回), before any later step acted'),
  task('reassigned', "the owning unit's service admin or the IT Office gave a task to someone else (改派)"),
  {
    topic: 'connector.succeeded',
    aggregate: 'application',
    summary: "a department's business system accepted the case at a transfer node",
    data: data({ node: str, connector: str, requestId: id }),
  },
  {
    topic: 'connector.abandoned',
    aggregate: 'application',
    summary: "a business system's call was given up after its last attempt",
    data: data({ node: str, connector: str, requestId: id }),
  },
  reminder('task', 'reminded', "a task's holders were reminded of its due time"),
  reminder('task', 'overdue-escalated', "an overdue task was escalated to its unit's service admins"),
  {
    topic: 'task.time-limit-passed',
    aggregate: 'application',
    summary:
      "a task's time limit passed while it was open and its node's `onTimeout` acted, as `system`: approved the task, " +
      "rejected the application, or escalated the task to the owning unit's service admins",
    data: data({
      taskId: id,
      caseNumber,
      node: str,
      outcome: { enum: ['approved', 'rejected', 'escalated'] },
    }),
  },
  // ratings and follow-ups (好差评, 整改)
  {
    topic: 'evaluation.rated',
    aggregate: 'application',
    summary: 'the applicant rated a completed application',
    data: data({
      level: { type: 'integer', minimum: 1, maximum: 5 },
      itemId: id,
      followUpId: { type: ['string', 'null'] },
    }),
  },
  {
    topic: 'evaluation.changed',
    aggregate: 'application',
    summary: 'the applicant changed their rating (once)',
    data: data({
      level: { type: 'integer', minimum: 1, maximum: 5 },
      itemId: id,
      followUpId: { type: ['string', 'null'] },
    }),
  },
  {
    topic: 'follow-up.resolved',
    aggregate: 'follow-up',
    summary: 'the unit resolved the follow-up of a bad rating',
    data: data({ applicationId: id }),
  },
  reminder('follow-up', 'reminded', "a follow-up's unit was reminded of its due date"),
  reminder('follow-up', 'overdue-escalated', 'an overdue follow-up was escalated'),
  // service items (服务事项)
  {
    topic: 'service-item.onboarding-applied',
    aggregate: 'service-item',
    summary: 'a unit applied to put a service item online (入驻)',
    data: data({ code: str, owningUnit: str }),
  },
  {
    topic: 'service-item.onboarding-reapplied',
    aggregate: 'service-item',
    summary: 'a refused application was made again',
    data: data({}),
  },
  decision('onboarding', 'approval-recorded', "one office's approval of the onboarding"),
  decision('onboarding', 'approved', 'both offices approved: the unit builds the item'),
  decision('onboarding', 'rejected', 'an office refused the onboarding'),
  {
    topic: 'service-version.defined',
    aggregate: 'service-version',
    summary: "the owning unit defined the draft version's process",
    data: data({ itemId: id, number: int }),
  },
  {
    topic: 'service-version.confirmed',
    aggregate: 'service-version',
    summary: 'an involved unit confirmed the draft version',
    data: data({ itemId: id, unit: str }),
  },
  {
    topic: 'service-item.launched',
    aggregate: 'service-item',
    summary: 'a version went online (上线)',
    data: data({ versionId: id, number: int, supersededVersionId: { type: ['string', 'null'] } }),
  },
  {
    topic: 'service-item.change-requested',
    aggregate: 'service-item',
    summary: 'the owning unit filed a change request (变更申请) with the IT Office; the item is change_pending',
    data: data({
      itemId: id,
      changeRequestId: id,
      reason: str,
      needs: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          properties: { aspect: str, description: str },
          required: ['aspect', 'description'],
          additionalProperties: false,
        },
      },
    }),
  },
  {
    topic: 'service-item.change-accepted',
    aggregate: 'service-item',
    summary: 'the IT Office accepted a change request: a new draft version opened, copied from the online one',
    data: data({ itemId: id, changeRequestId: id, comment: { type: ['string', 'null'] }, versionId: id, number: int }),
  },
  {
    topic: 'service-item.change-refused',
    aggregate: 'service-item',
    summary: 'the IT Office refused a change request, with its reason; no draft opened',
    data: data({ itemId: id, changeRequestId: id, comment: str }),
  },
  {
    topic: 'service-item.offboarding-requested',
    aggregate: 'service-item',
    summary: 'the owning unit asked to take the item offline (下线)',
    data: data({ reason: str }),
  },
  decision('offboarding', 'approval-recorded', "one office's approval of the offboarding"),
  decision('offboarding', 'approved', 'both offices approved: the item is offline'),
  decision('offboarding', 'rejected', 'an office refused the offboarding'),
  // printouts (办事凭证)
  {
    topic: 'printout.issued',
    aggregate: 'printout',
    summary: 'a signed printout was issued',
    data: data({ code: str, applicationId: id, caseNumber }),
  },
  {
    topic: 'printout.revoked',
    aggregate: 'printout',
    summary: 'a printout was revoked',
    data: data({ code: str, applicationId: id, reason: str }),
  },
  // people, roles and the directory
  {
    topic: 'role.granted',
    aggregate: 'person',
    summary: "a role in a unit was granted, from a unit's filing (备案) or, when `filingId` is null, without one",
    data: data({ subject: id, role: str, unit: str, filingId: { type: ['string', 'null'] } }),
  },
  {
    topic: 'role-filing.filed',
    aggregate: 'role-filing',
    summary: "a unit's service admin filed a role assignment (备案) with the IT Office",
    data: data({ subject: id, role: str, unit: str }),
  },
  {
    topic: 'role-filing.accepted',
    aggregate: 'role-filing',
    summary: 'the IT Office accepted a filing: the role was granted from it (see role.granted)',
    data: data({ subject: id, role: str, unit: str, comment: { type: ['string', 'null'] } }),
  },
  {
    topic: 'role-filing.refused',
    aggregate: 'role-filing',
    summary: 'the IT Office refused a filing, with its reason: nothing was granted',
    data: data({ subject: id, role: str, unit: str, comment: str }),
  },
  {
    topic: 'role.revoked',
    aggregate: 'person',
    summary:
      'a role in a unit was revoked: by the IT Office, or by the daily check of training certifications when none ' +
      'is valid for an admin role any more (`reason`, Art. 17)',
    data: data(
      {
        subject: id,
        role: str,
        unit: str,
        reason: { ...str, description: 'why, when the hall revoked it itself' },
        notified: { ...people, description: 'who was told, when the hall revoked it itself' },
      },
      ['reason', 'notified'],
    ),
  },
  {
    topic: 'certification.recorded',
    aggregate: 'person',
    summary: "a service admin's training certification was recorded",
    data: data({}),
  },
  {
    topic: 'certification.expiring',
    aggregate: 'person',
    summary:
      "an admin's training certifications run out soon: the person and the IT Office were told, once per threshold " +
      '(30 and 7 days before)',
    data: data({
      expiresOn: { ...str, description: 'the last day the certifications cover (YYYY-MM-DD)' },
      threshold: { enum: [30, 7] },
      daysLeft: int,
      roles: { type: 'array', items: str, description: 'the admin roles held, as role@unit' },
      notified: { ...people, description: 'who was told' },
    }),
  },
  { topic: 'absence.set', aggregate: 'person', summary: 'a handler named a substitute for an absence', data: data({}) },
  { topic: 'absence.cleared', aggregate: 'person', summary: 'an absence was cleared', data: data({}) },
  {
    topic: 'person.offboarded',
    aggregate: 'person',
    summary: 'a person left: sessions ended, tasks handed over',
    data: data({ personId: id, status: str, handedOver: int }),
  },
  {
    topic: 'person.post-changed',
    aggregate: 'person',
    summary: "a person's unit changed (异动/调离): their roles in the old unit revoked, its work they held handed over",
    data: data({ personId: id, from: str, to: str, rolesRevoked: int, handedOver: int }),
  },
  {
    topic: 'people.synced',
    aggregate: 'directory',
    summary: 'the directory (HR export or LDAP) was synchronised',
    data: data({}),
  },
  // operations
  calendar('holiday-added', 'a holiday was added to the working calendar'),
  calendar('working-day-added', 'a weekend day was made a working day (调休上班)'),
  calendar('date-removed', 'a date was removed from the working calendar'),
  calendar('year-imported', "a year's calendar was imported"),
  {
    topic: 'outbox.parked-retried',
    aggregate: 'outbox-sink',
    summary: "the IT Office sent a sink's parked events again (`hall outbox retry`)",
    data: data({}),
  },
  {
    topic: 'outbox.replayed',
    aggregate: 'outbox-sink',
    summary: 'the IT Office re-sent the events since a time to a sink (`hall outbox replay`)',
    data: data({}),
  },
  {
    topic: 'jobs.failed-retried',
    aggregate: 'job-queue',
    summary: "the IT Office sent a queue's failed jobs round again",
    data: data({}),
  },
  {
    topic: 'drill.recorded',
    aggregate: 'drill',
    summary: 'the IT Office ran an emergency drill (应急演练) and its report was stored',
    data: data({
      scenario: str,
      mode: { type: 'string', enum: ['sandbox', 'target'] },
      verdict: { type: 'string', enum: ['passed', 'failed', 'aborted'] },
    }),
  },
  {
    topic: 'audit.archived',
    aggregate: 'audit-log',
    summary:
      'the IT Office archived a month (YYYY-MM, UTC+8) of the audit log older than its retention: its entries went to an archive file and its partition was dropped',
    data: data({
      month: { type: 'string', pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$' },
      firstSeq: int,
      lastSeq: int,
      entries: int,
      fileSha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    }),
  },
];

/** The event type of a topic, or undefined for one the hall does not write. */
export function eventType(topic: string): EventType | undefined {
  return EVENT_TYPES.find((e) => e.topic === topic);
}
