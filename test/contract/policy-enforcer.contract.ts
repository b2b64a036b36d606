import { expect } from 'chai';
import {
  ALL_UNITS,
  type PolicyEnforcer,
  type RoleAssignment,
} from '../../src/application/ports/policy-enforcer.port.js';
import type { UnitOfWork } from '../../src/application/ports/unit-of-work.port.js';
import { rejection } from './sides.js';

export interface PolicySide {
  uow: UnitOfWork;
  enforcer: PolicyEnforcer;
  close(): Promise<void>;
}

/** The hall's default permissions per role, as the migrations grant them (`object:action`). */
const DEFAULT_PERMISSIONS: Record<string, string[]> = {
  'unit-service-admin': [
    'service-item:apply',
    'service-item:define',
    'service-item:confirm',
    'service-item:launch',
    'service-item:request-change',
    'service-item:request-offboarding',
    'service-item:read',
    'application:read',
  ],
  'president-office': ['service-item:decide', 'service-item:read', 'application:read'],
  'it-office': [
    'service-item:decide',
    'service-item:read',
    'service-item:launch',
    'audit:read',
    'application:read',
    'role-assignment:grant',
    'role-assignment:revoke',
    'role-assignment:read',
    'certification:record',
    'calendar:edit',
    'jobs:manage',
  ],
  auditor: ['service-item:read', 'audit:read', 'application:read'],
  handler: [],
  'department-head': [],
  counselor: [],
  'college-deputy-secretary': [],
  'college-secretary': [],
};
const GLOBAL_ROLES = ['president-office', 'it-office', 'auditor'];
const EVERY_PERMISSION = [
  ...new Set([...Object.values(DEFAULT_PERMISSIONS).flat(), 'service-item:destroy', 'payroll:read']),
];

/** Role-based access with unit domains, and the role assignments the use cases write in a unit of work. */
export function policyEnforcerContract(name: string, make: () => Promise<PolicySide>): void {
  describe(`PolicyEnforcer and RoleAssignments contract: ${name}`, () => {
    let side: PolicySide;
    before(async () => {
      side = await make();
    });
    after(async () => {
      await side.close();
    });
    const someone = () => `p-${globalThis.crypto.randomUUID().slice(0, 8)}`;
    const grant = async (...assignments: RoleAssignment[]) => {
      await side.uow.run(async (s) => {
        for (const a of assignments) await s.roleAssignments.grant(a);
      });
      await side.enforcer.refresh();
    };
    const can = (subject: string, unit: string, permission: string) => {
      const [object, action] = permission.split(':') as [string, string];
      return side.enforcer.can({ subject, unit, object, action });
    };

    it("decides with each role's default permissions: a global role in every unit and in '*', a unit role only in its unit", async () => {
      const holder = Object.fromEntries(Object.keys(DEFAULT_PERMISSIONS).map((role) => [role, someone()]));
      await grant(
        ...Object.entries(holder).map(([role, subject]) => ({
          subject,
          role,
          unit: GLOBAL_ROLES.includes(role) ? ALL_UNITS : 'finance',
        })),
      );
      const decided: string[] = [];
      const expected: string[] = [];
      for (const [role, subject] of Object.entries(holder)) {
        for (const unit of ['finance', 'logistics', ALL_UNITS]) {
          for (const permission of EVERY_PERMISSION) {
            if (await can(subject, unit, permission)) decided.push(`${role}@${unit} ${permission}`);
            if (DEFAULT_PERMISSIONS[role]!.includes(permission) && (GLOBAL_ROLES.includes(role) || unit === 'finance'))
              expected.push(`${role}@${unit} ${permission}`);
          }
        }
      }
      expect(decided).to.deep.equal(expected);
    });

    it('denies a subject without roles, and allows a person with a unit role and a global one through either', async () => {
      const nobody = someone();
      const both = someone();
      await grant(
        { subject: both, role: 'unit-service-admin', unit: 'finance' },
        { subject: both, role: 'auditor', unit: ALL_UNITS },
      );
      expect(await can(nobody, 'finance', 'service-item:read')).to.equal(false);
      expect(await can(both, 'finance', 'service-item:define')).to.equal(true);
      expect(await can(both, ALL_UNITS, 'service-item:define')).to.equal(false);
      expect(await can(both, ALL_UNITS, 'audit:read')).to.equal(true);
      expect(await can(both, 'logistics', 'service-item:read')).to.equal(true);
    });

    it('refuses a blank unit, subject or role loudly instead of deciding on a default', async () => {
      for (const unit of ['', '   ', undefined as unknown as string]) {
        expect(
          (await rejection(side.enforcer.can({ subject: 'x', unit, object: 'service-item', action: 'read' }))).message,
          String(unit),
        ).to.match(/unit must be given/);
      }
      expect(
        (await rejection(side.enforcer.can({ subject: '', unit: 'finance', object: 'service-item', action: 'read' })))
          .message,
      ).to.match(/subject must be given/);
      expect((await rejection(side.enforcer.rolesOf({ subject: ' ' }))).message).to.match(/subject must be given/);
      expect((await rejection(side.enforcer.holders({ role: 'handler', unit: '' }))).message).to.match(
        /unit must be given/,
      );
      expect((await rejection(side.enforcer.holders({ role: '', unit: 'finance' }))).message).to.match(
        /role must be given/,
      );
    });

    it("lists a person's roles by unit, then role; and the direct holders of a role in a unit, sorted", async () => {
      const [b, a, c] = ['p-b' + someone(), 'p-a' + someone(), 'p-c' + someone()];
      await grant(
        { subject: b, role: 'unit-service-admin', unit: 'finance' },
        { subject: b, role: 'handler', unit: 'finance' },
        { subject: b, role: 'auditor', unit: ALL_UNITS },
        { subject: b, role: 'handler', unit: 'college-info' },
        { subject: c, role: 'counselor', unit: 'college-marine' },
        { subject: a, role: 'counselor', unit: 'college-marine' },
      );
      expect(await side.enforcer.rolesOf({ subject: b })).to.deep.equal([
        { subject: b, role: 'auditor', unit: ALL_UNITS },
        { subject: b, role: 'handler', unit: 'college-info' },
        { subject: b, role: 'handler', unit: 'finance' },
        { subject: b, role: 'unit-service-admin', unit: 'finance' },
      ]);
      expect(await side.enforcer.rolesOf({ subject: someone() })).to.deep.equal([]);
      expect(await side.enforcer.holders({ role: 'counselor', unit: 'college-marine' })).to.deep.equal([a, c]);
      expect(await side.enforcer.holders({ role: 'auditor', unit: 'finance' }), 'direct holders only').to.not.include(
        b,
      );
      expect(await side.enforcer.holders({ role: 'auditor', unit: ALL_UNITS })).to.include(b);
    });

    it('grants and revokes in a unit of work, telling whether anything changed; decisions follow once refresh resolves', async () => {
      const p = someone();
      const admin = { subject: p, role: 'unit-service-admin', unit: 'logistics' };
      await side.uow.run(async (s) => {
        expect(await s.roleAssignments.grant(admin)).to.equal(true);
        expect(await s.roleAssignments.grant(admin)).to.equal(false);
      });
      await side.enforcer.refresh();
      expect(await can(p, 'logistics', 'service-item:define')).to.equal(true);
      await side.uow.run(async (s) => {
        expect(await s.roleAssignments.revoke(admin)).to.equal(true);
        expect(await s.roleAssignments.revoke(admin)).to.equal(false);
      });
      await side.enforcer.refresh();
      expect(await can(p, 'logistics', 'service-item:define')).to.equal(false);
      expect(await side.enforcer.rolesOf({ subject: p })).to.deep.equal([]);
    });

    it('keeps nothing of a grant whose unit of work rolls back', async () => {
      const p = someone();
      const thrown = await rejection(
        side.uow.run(async (s) => {
          await s.roleAssignments.grant({ subject: p, role: 'it-office', unit: ALL_UNITS });
          throw new Error('refused');
        }),
      );
      expect(thrown.message).to.equal('refused');
      await side.enforcer.refresh();
      expect(await can(p, 'finance', 'jobs:manage')).to.equal(false);
      expect(await side.uow.run((s) => s.roleAssignments.list({ subject: p }))).to.deep.equal([]);
    });

    it('lists assignments filtered by subject, role and unit, ordered by unit, role, then subject', async () => {
      const [x, y] = ['q-x' + someone(), 'q-y' + someone()];
      await grant(
        { subject: y, role: 'handler', unit: 'college-marine' },
        { subject: x, role: 'handler', unit: 'college-marine' },
        { subject: x, role: 'counselor', unit: 'college-marine' },
        { subject: x, role: 'auditor', unit: ALL_UNITS },
      );
      await side.uow.run(async (s) => {
        expect(await s.roleAssignments.list({ subject: x })).to.deep.equal([
          { subject: x, role: 'auditor', unit: ALL_UNITS, filingId: null },
          { subject: x, role: 'counselor', unit: 'college-marine', filingId: null },
          { subject: x, role: 'handler', unit: 'college-marine', filingId: null },
        ]);
        expect(
          (await s.roleAssignments.list({ role: 'handler', unit: 'college-marine' })).filter((r) =>
            [x, y].includes(r.subject),
          ),
        ).to.deep.equal([
          { subject: x, role: 'handler', unit: 'college-marine', filingId: null },
          { subject: y, role: 'handler', unit: 'college-marine', filingId: null },
        ]);
        expect(await s.roleAssignments.list({ subject: y, unit: ALL_UNITS })).to.deep.equal([]);
      });
    });
  });
}
