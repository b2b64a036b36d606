import { expect } from 'chai';
import { ConflictError, NotAllowedError } from '../../../src/domain/shared/errors.js';
import type { Result } from '../../../src/domain/shared/result.js';
import { failure, value } from '../../fixtures/result.js';
import type { ProcessDefinition } from '../../../src/domain/process-definition/process-definition.js';
import {
  ServiceVersion,
  type ServiceVersionProps,
  type VersionState,
} from '../../../src/domain/service-item/service-version.entity.js';

const at = (minute: number): Date => new Date(Date.UTC(2024, 4, 6, 9, minute));
const T0 = at(0);
const INVOLVED = ['academic-affairs', 'student-affairs'] as const;

const definition = (doneBy = 'p001'): ProcessDefinition => ({
  form: { type: 'object', properties: { reason: { type: 'string' } } },
  nodes: [
    { key: 'apply', name: '申请', kind: 'start' },
    {
      key: 'done',
      name: '办结',
      kind: 'complete',
      mode: 'any',
      handlers: { type: 'people', people: [doneBy] },
      timeLimit: { hours: 24 },
    },
  ],
});

const draft = (def: ProcessDefinition | null = definition()): ServiceVersion =>
  ServiceVersion.draft({
    id: 'ver-1',
    itemId: 'si-1',
    number: 1,
    definition: def,
    changeReason: null,
    by: 'u-clerk',
    at: T0,
  });

const restored = (state: VersionState): ServiceVersion =>
  ServiceVersion.restore({
    id: 'ver-2',
    itemId: 'si-1',
    number: 2,
    state,
    definition: definition(),
    confirmations: [],
    changeReason: '调整时限',
    lockVersion: 4,
    createdBy: 'u-clerk',
    createdAt: T0,
    updatedAt: T0,
    launchedAt: state === 'draft' ? null : T0,
  });

function confirmAll(v: ServiceVersion, minute: number): void {
  INVOLVED.forEach((unit, i) => value(v.confirm(unit, INVOLVED, `u-${unit}`, at(minute + i))));
}

describe('ServiceVersion', () => {
  it('a new draft has no confirmations and is not launched', () => {
    const v = draft();
    expect(v.snapshot()).to.deep.equal({
      id: 'ver-1',
      itemId: 'si-1',
      number: 1,
      state: 'draft',
      definition: definition(),
      confirmations: [],
      changeReason: null,
      lockVersion: 0,
      createdBy: 'u-clerk',
      createdAt: T0,
      updatedAt: T0,
      launchedAt: null,
    });
  });

  describe('define', () => {
    it('replaces the definition and resets every confirmation', () => {
      const v = draft();
      confirmAll(v, 1);
      expect(v.confirmations).to.have.length(2);
      value(v.define(definition('p002'), at(5)));
      expect(v.confirmations).to.deep.equal([]);
      expect(v.definition).to.deep.equal(definition('p002'));
      expect(v.snapshot().updatedAt).to.deep.equal(at(5));
    });

    it('gives a draft without a definition one', () => {
      const v = draft(null);
      value(v.define(definition(), at(1)));
      expect(v.definition).to.deep.equal(definition());
    });
  });

  describe('confirm', () => {
    it('records a confirmation by an involved unit', () => {
      const v = draft();
      value(v.confirm('student-affairs', INVOLVED, 'u-sa', at(2)));
      expect(v.confirmations).to.deep.equal([{ unit: 'student-affairs', by: 'u-sa', at: at(2).toISOString() }]);
      expect(v.snapshot().updatedAt).to.deep.equal(at(2));
      value(v.confirm('academic-affairs', INVOLVED, 'u-aa', at(3)));
      expect(v.confirmations.map((c) => c.unit)).to.deep.equal(['student-affairs', 'academic-affairs']);
    });

    it('refuses a second confirmation by the same unit with ALREADY_CONFIRMED', () => {
      const v = draft();
      value(v.confirm('student-affairs', INVOLVED, 'u-sa', at(2)));
      const before = v.snapshot();
      const error = failure(v.confirm('student-affairs', INVOLVED, 'u-other', at(3)));
      expect(error).to.be.instanceOf(ConflictError);
      expect(error.code).to.equal('SERVICE_VERSION.ALREADY_CONFIRMED');
      expect(v.snapshot()).to.deep.equal(before);
    });

    it('refuses a unit that is not involved with NotAllowedError', () => {
      const v = draft();
      const error = failure(v.confirm('library', INVOLVED, 'u-lib', at(2)));
      expect(error).to.be.instanceOf(NotAllowedError);
      expect(error.kind).to.equal('not-allowed');
      expect(error.code).to.equal('SERVICE_VERSION.UNIT_NOT_INVOLVED');
      expect(v.confirmations).to.deep.equal([]);
    });

    it('refuses when there is no definition yet, before checking the unit', () => {
      const v = draft(null);
      for (const unit of ['student-affairs', 'library']) {
        const error = failure(v.confirm(unit, INVOLVED, 'u', at(2)));
        expect(error).to.be.instanceOf(ConflictError);
        expect(error.code, unit).to.equal('SERVICE_VERSION.NO_DEFINITION');
      }
      expect(v.snapshot().updatedAt).to.deep.equal(T0);
    });
  });

  describe('launch', () => {
    it('takes a draft online and freezes it', () => {
      const v = draft();
      confirmAll(v, 1);
      value(v.launch(at(10)));
      expect(v.snapshot()).to.deep.include({ state: 'online', launchedAt: at(10), updatedAt: at(10) });
      expect(v.confirmations).to.have.length(2);
    });

    for (const state of ['online', 'superseded', 'retired'] as const) {
      it(`is refused from ${state} with NOT_DRAFT`, () => {
        const v = restored(state);
        const before = v.snapshot();
        const error = failure(v.launch(at(10)));
        expect(error).to.be.instanceOf(ConflictError);
        expect(error.code).to.equal('SERVICE_VERSION.NOT_DRAFT');
        expect(v.snapshot()).to.deep.equal(before);
      });
    }

    it('define, confirm and launch after launch are all refused with NOT_DRAFT and change nothing', () => {
      const v = draft();
      value(v.confirm('student-affairs', INVOLVED, 'u-sa', at(1)));
      value(v.launch(at(2)));
      const before = v.snapshot();
      const attempts: Array<[string, Result<void, ConflictError | NotAllowedError>]> = [
        ['define', v.define(definition('p009'), at(3))],
        ['confirm', v.confirm('academic-affairs', INVOLVED, 'u-aa', at(3))],
        ['confirm twice', v.confirm('student-affairs', INVOLVED, 'u-sa', at(3))],
        ['confirm by stranger', v.confirm('library', INVOLVED, 'u-lib', at(3))],
        ['launch', v.launch(at(3))],
      ];
      for (const [what, r] of attempts) {
        const error = failure(r);
        expect(error, what).to.be.instanceOf(ConflictError);
        expect(error.code, what).to.equal('SERVICE_VERSION.NOT_DRAFT');
        expect(error.message, what).to.include('online');
      }
      expect(v.snapshot()).to.deep.equal(before);
    });
  });

  describe('supersede', () => {
    it('turns an online version into superseded', () => {
      const v = restored('online');
      v.supersede(at(20));
      expect(v.snapshot()).to.deep.include({ state: 'superseded', updatedAt: at(20), launchedAt: T0 });
      expect(failure(v.define(definition(), at(21))).code).to.equal('SERVICE_VERSION.NOT_DRAFT');
    });

    for (const state of ['draft', 'superseded', 'retired'] as const) {
      it(`leaves a ${state} version alone`, () => {
        const v = restored(state);
        const before = v.snapshot();
        v.supersede(at(20));
        expect(v.snapshot()).to.deep.equal(before);
      });
    }
  });

  it('restore copies the confirmations it is given', () => {
    const props: ServiceVersionProps = {
      ...restored('draft').snapshot(),
      confirmations: [{ unit: 'student-affairs', by: 'u', at: T0.toISOString() }],
    };
    const v = ServiceVersion.restore(props);
    value(v.confirm('academic-affairs', INVOLVED, 'u-aa', at(1)));
    expect(props.confirmations).to.have.length(1);
    expect(v.confirmations).to.have.length(2);
    expect(v.lockVersion).to.equal(4);
  });
});
