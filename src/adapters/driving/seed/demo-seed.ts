import { isInCatalogue } from '../../../domain/service-item/service-item-lifecycle.js';
import { readFile } from 'node:fs/promises';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { DomainError } from '../../../domain/shared/errors.js';
import type { Result } from '../../../domain/shared/result.js';
import type { Actor } from '../../../application/ports/actor.js';
import type { PasswordHasher } from '../../../application/ports/password-hasher.port.js';
import type { ApplyOnboardingUseCase } from '../../../application/service-items/apply-onboarding.use-case.js';
import type { ConfirmVersionUseCase } from '../../../application/service-items/confirm-version.use-case.js';
import type { DecideServiceItemUseCase } from '../../../application/service-items/decide-service-item.use-case.js';
import type { DefineProcessUseCase } from '../../../application/service-items/define-process.use-case.js';
import type { LaunchVersionUseCase } from '../../../application/service-items/launch-version.use-case.js';
import type { ListServiceItemsUseCase } from '../../../application/service-items/list-service-items.use-case.js';
import type { ServiceItemView } from '../../../application/service-items/service-item.view.js';
import { DEMO_PASSWORD, DEMO_PEOPLE } from './demo-people.js';
import { addDays, ADMIN_ROLES } from '../../../domain/people/role-eligibility.js';
import { chinaDate } from '../../../domain/calendar/working-calendar.js';
import { isGatewayKind } from '../../../domain/process-definition/process-definition.js';

interface DemoGateway {
  key: string;
  kind: 'parallel' | 'inclusive' | 'exclusive';
  name: string;
  next?: string[];
  conditions?: Record<string, unknown>;
  default?: string;
}
interface DemoNode {
  key: string;
  kind: string;
  name: string;
  handlers: { role: string; unit: string };
  mode: string;
  next?: string[];
  pass_ratio?: number;
  time_limit_working_days: number;
  condition?: unknown;
  connector?: string;
  connector_fields?: string[];
  /** What the node's time limit does when it passes: approve, reject, escalate (default: remind). */
  on_timeout?: string;
}
interface DemoItem {
  code: string;
  name: string;
  owning_unit: string;
  involved_units: string[];
  offline_procedure: string;
  form: unknown;
  nodes: Array<DemoNode | DemoGateway>;
  name_en: string;
}
interface DemoCatalogue {
  units: Array<{ key: string; code: string; name: string; name_en: string; kind: string }>;
  service_items: DemoItem[];
}

/** `catalogueFile`: seeds/demo-catalogue.json, located by the composition root. */
async function catalogue(catalogueFile: string): Promise<DemoCatalogue> {
  return JSON.parse(await readFile(catalogueFile, 'utf8')) as DemoCatalogue;
}

/** Phase 1, before the container loads policy: units, people, local accounts, role assignments. Idempotent. */
export async function seedOrganisation(
  knex: Knex,
  o: { passwords: PasswordHasher; catalogueFile: string },
): Promise<void> {
  const demo = await catalogue(o.catalogueFile);
  const password = await o.passwords.hash(DEMO_PASSWORD);
  await knex.transaction(async (trx) => {
    await trx('units')
      .insert(demo.units.map((u) => ({ key: u.key, code: u.code, name: u.name, name_en: u.name_en, kind: u.kind })))
      .onConflict('key')
      .ignore();
    for (const p of DEMO_PEOPLE) {
      await trx('people')
        .insert({ id: p.id, name: p.name, type: p.type, unit_key: p.unit, status: 'active' })
        .onConflict('id')
        .ignore();
      await trx('local_accounts')
        .insert({ username: p.username, person_id: p.id, password_hash: password })
        .onConflict('username')
        .ignore();
      if (p.roles.some((r) => ADMIN_ROLES.includes(r.role))) {
        const has = await trx('certifications').where({ person_id: p.id }).first();
        if (!has) {
          await trx('certifications').insert({
            id: globalThis.crypto.randomUUID(),
            person_id: p.id,
            course: '网上办事大厅服务事项管理员培训',
            // valid for two years from the seeding: the daily check (Art. 17) leaves the demo admins be
            passed_on: '2026-09-01',
            expires_on: addDays(chinaDate(new Date()), 730),
            recorded_by: 'demo-seed',
            recorded_at: new Date(),
          });
        }
      }
      for (const r of p.roles) {
        await trx('casbin_rule')
          .insert({ ptype: 'g', v0: p.id, v1: r.role, v2: r.unit })
          .onConflict(['ptype', 'v0', 'v1', 'v2', 'v3', 'v4', 'v5'])
          .ignore();
      }
    }
  });
}

/** The demo definition; a transfer node whose connector this hall lacks calls no system (its unit's task stands). */
export function definitionOf(item: DemoItem, connectors: ReadonlySet<string>) {
  return {
    form: item.form,
    nodes: [
      { key: 'apply', kind: 'start', name: '提交申请' },
      ...item.nodes.map((n) => (isGatewayKind(n.kind) ? n : stepOf(n as DemoNode, connectors))),
    ],
  };
}

function stepOf(n: DemoNode, connectors: ReadonlySet<string>) {
  return {
    key: n.key,
    kind: n.kind,
    name: n.name,
    handlers: { type: 'role', role: n.handlers.role, unit: n.handlers.unit },
    mode: n.mode,
    timeLimit: { workingDays: n.time_limit_working_days },
    ...(n.next ? { next: n.next } : {}),
    ...(n.pass_ratio ? { passRatio: n.pass_ratio } : {}),
    ...(n.condition ? { condition: n.condition } : {}),
    ...(n.on_timeout ? { onTimeout: { action: n.on_timeout } } : {}),
    ...(n.connector && connectors.has(n.connector)
      ? { connector: n.connector, connectorFields: n.connector_fields ?? [] }
      : {}),
  };
}

function must<T>(r: Result<T, DomainError>, step: string): T {
  if (!r.ok)
    throw new Error(`demo seed: ${step} failed: ${r.error.code} ${r.error.message} ${JSON.stringify(r.error.details)}`);
  return r.value;
}

export interface DemoSeedUseCases {
  applyOnboarding: ApplyOnboardingUseCase;
  decideServiceItem: DecideServiceItemUseCase;
  defineProcess: DefineProcessUseCase;
  confirmVersion: ConfirmVersionUseCase;
  launchVersion: LaunchVersionUseCase;
  listServiceItems: ListServiceItemsUseCase;
}

/**
 * Phase 2: the demo service items go through the real lifecycle (apply, both approvals, define,
 * confirm, launch) as the demo people, so their audit trail is the real one. Resumes where it stopped.
 */
export async function seedServiceItems(
  uc: DemoSeedUseCases,
  logger: Logger,
  o: { catalogueFile: string; connectors: ReadonlySet<string> },
): Promise<void> {
  const demo = await catalogue(o.catalogueFile);
  const {
    applyOnboarding: apply,
    decideServiceItem: decide,
    defineProcess: define,
    confirmVersion: confirm,
    launchVersion: launch,
  } = uc;
  const as = (username: string): Actor => ({
    personId: DEMO_PEOPLE.find((p) => p.username === username)!.id,
    requestId: 'demo-seed',
  });
  const adminOf = (unit: string) =>
    as(DEMO_PEOPLE.find((p) => p.roles.some((r) => r.role === 'unit-service-admin' && r.unit === unit))!.username);
  // an item by code, as the President's Office sees the register (every item, in every state)
  const find = async (code: string): Promise<ServiceItemView | null> => {
    let cursor: string | undefined;
    do {
      const page = must(
        await uc.listServiceItems.execute({ actor: as('xb-officer'), limit: 200, cursor }),
        'list service items',
      );
      const found = page.items.find((i) => i.code === code);
      if (found) return found;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return null;
  };

  for (const d of demo.service_items) {
    let item = await find(d.code);
    // already launched (serving, changing or going offline): the seed leaves it as it is
    if (item && isInCatalogue(item.state)) continue;
    const owner = adminOf(d.owning_unit);
    if (!item) {
      must(
        await apply.execute({
          actor: owner,
          application: {
            code: d.code,
            name: d.name,
            owningUnit: d.owning_unit,
            involvedUnits: d.involved_units,
            description: `${d.name}（${d.name_en}）`,
            offlineProcedure: d.offline_procedure,
          },
        }),
        `apply ${d.code}`,
      );
      item = await find(d.code);
    }
    for (const [office, username] of [
      ['president-office', 'xb-officer'],
      ['it-office', 'it-officer'],
    ] as const) {
      if (item?.state === 'onboarding_pending' && !item.approvals.some((a) => a.office === office)) {
        must(await decide.execute({ actor: as(username), itemId: item.id, decision: 'approve' }), `approve ${d.code}`);
        item = await find(d.code);
      }
    }
    for (const n of d.nodes) {
      if ('connector' in n && n.connector && !o.connectors.has(n.connector)) {
        logger.info(
          { code: d.code, node: n.key, connector: n.connector },
          'demo service item: no such connector is configured (CONNECTORS), so its transfer node calls no business system',
        );
      }
    }
    if (!item || item.state !== 'building')
      throw new Error(`demo seed: ${d.code} is ${item?.state}, expected building`);
    const version = must(
      await define.execute({ actor: owner, itemId: item.id, definition: definitionOf(d, o.connectors) }),
      `define ${d.code}`,
    );
    for (const unit of item.involvedUnits) {
      must(
        await confirm.execute({ actor: adminOf(unit), itemId: item.id, versionId: version.id, unit }),
        `confirm ${d.code} for ${unit}`,
      );
    }
    must(await launch.execute({ actor: owner, itemId: item.id, versionId: version.id }), `launch ${d.code}`);
    logger.info({ code: d.code }, 'demo service item online');
  }
}
