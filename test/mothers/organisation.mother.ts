import type { Person, Role, Unit } from '../../src/application/ports/organisation.port.js';
import type { Actor } from '../../src/application/ports/actor.js';

/** Generated ids start with 9, out of the way of the ids tests write out (T0301, 2026110101…). */
let serial = 0;
const next = () => `9${String(++serial).padStart(3, '0')}`;

export const UnitMother = {
  create(o: Partial<Unit> & { key: string }): Unit {
    return { code: o.key.slice(0, 2).toUpperCase(), name: o.key, nameEn: null, kind: 'office', ...o };
  },

  /** The units the tests' stories happen in (keys and codes as in the demo organisation). */
  university(): Unit[] {
    return [
      UnitMother.create({ key: 'president-office', code: 'XB', name: '校长办公室' }),
      UnitMother.create({ key: 'it-office', code: 'IT', name: '信息化管理办公室' }),
      UnitMother.create({ key: 'finance', code: 'CW', name: '财务处' }),
      UnitMother.create({ key: 'academic-affairs', code: 'JW', name: '教务处' }),
      UnitMother.create({ key: 'logistics', code: 'HQ', name: '后勤处' }),
      UnitMother.create({ key: 'college-info', code: 'XX', name: '信息学院', kind: 'college' }),
      UnitMother.create({ key: 'college-marine', code: 'HK', name: '海洋学院', kind: 'college' }),
    ];
  },
};

export const RoleMother = {
  /** The roles the core migration creates. */
  hall(): Role[] {
    return [
      { key: 'president-office', name: '校长办公室', scope: 'global' },
      { key: 'it-office', name: '信息化管理办公室', scope: 'global' },
      { key: 'auditor', name: '审计员', scope: 'global' },
      { key: 'unit-service-admin', name: '服务事项管理员', scope: 'unit' },
      { key: 'handler', name: '办理人员', scope: 'unit' },
      { key: 'department-head', name: '部门负责人', scope: 'unit' },
      { key: 'counselor', name: '辅导员', scope: 'unit' },
      { key: 'college-deputy-secretary', name: '学院分管学生工作副书记', scope: 'unit' },
      { key: 'college-secretary', name: '学院教学秘书', scope: 'unit' },
    ];
  },
};

export const PersonMother = {
  /** Active staff of the finance office unless told otherwise. */
  staff(o: Partial<Person> = {}): Person {
    const id = o.id ?? `T${next()}`;
    return {
      id,
      name: `教职工${id}`,
      type: 'staff',
      unit: 'finance',
      status: 'active',
      email: `${id.toLowerCase()}@univ.example.edu.cn`,
      ...o,
    };
  },

  /** An active student of the information college unless told otherwise. */
  student(o: Partial<Person> = {}): Person {
    const id = o.id ?? `2026${next()}`;
    return { id, name: `学生${id}`, type: 'student', unit: 'college-info', status: 'active', email: null, ...o };
  },
};

export const ActorMother = {
  of(who: Person | string, requestId = 'req-1'): Actor {
    return { personId: typeof who === 'string' ? who : who.id, requestId };
  },
};
