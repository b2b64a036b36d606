import {
  ServiceItem,
  type OnboardingApplication,
  type ServiceItemProps,
} from '../../src/domain/service-item/service-item.entity.js';
import { ServiceVersion, type ServiceVersionProps } from '../../src/domain/service-item/service-version.entity.js';
import { ProcessDefinitionMother } from './process-definition.mother.js';

const CREATED = new Date('2026-11-02T01:00:00.000Z');
let serial = 0;

export const OnboardingApplicationMother = {
  create(o: Partial<OnboardingApplication> = {}): OnboardingApplication {
    return {
      code: `CW-T${++serial}`,
      name: '差旅费报销',
      owningUnit: 'finance',
      involvedUnits: ['finance'],
      description: '教职工差旅费网上报销',
      offlineProcedure: '打印报销单，附发票原件投递至财务处。',
      ...o,
    };
  },
};

/** Service items in each lifecycle state; the owning unit is finance unless told otherwise. */
export const ServiceItemMother = {
  create(o: Partial<ServiceItemProps> = {}): ServiceItem {
    const owningUnit = o.owningUnit ?? 'finance';
    return ServiceItem.restore({
      id: globalThis.crypto.randomUUID(),
      code: `CW-I${++serial}`,
      name: '差旅费报销',
      owningUnit,
      involvedUnits: [owningUnit],
      description: '教职工差旅费网上报销',
      offlineProcedure: '打印报销单，投递至财务处。',
      state: 'onboarding_pending',
      approvals: [],
      rejection: null,
      offboardingReason: null,
      onlineVersionId: null,
      lockVersion: 1,
      createdBy: 'T0301',
      createdAt: CREATED,
      updatedAt: CREATED,
      ...o,
    });
  },
  pending: (o: Partial<ServiceItemProps> = {}) => ServiceItemMother.create({ state: 'onboarding_pending', ...o }),
  rejected: (o: Partial<ServiceItemProps> = {}) =>
    ServiceItemMother.create({
      state: 'onboarding_rejected',
      rejection: {
        office: 'it-office',
        by: 'T0002',
        at: CREATED.toISOString(),
        reason: '材料不全',
        phase: 'onboarding',
      },
      ...o,
    }),
  building: (o: Partial<ServiceItemProps> = {}) => ServiceItemMother.create({ state: 'building', ...o }),
  online: (o: Partial<ServiceItemProps> & { onlineVersionId: string }) =>
    ServiceItemMother.create({ state: 'online', ...o }),
  offboardingPending: (o: Partial<ServiceItemProps> & { onlineVersionId: string }) =>
    ServiceItemMother.create({ state: 'offboarding_pending', offboardingReason: '并入财务平台', ...o }),
};

/** Versions of an item; a draft with the default definition unless told otherwise. */
export const ServiceVersionMother = {
  create(o: Partial<ServiceVersionProps> & { itemId: string }): ServiceVersion {
    return ServiceVersion.restore({
      id: globalThis.crypto.randomUUID(),
      number: 1,
      state: 'draft',
      definition: ProcessDefinitionMother.create(),
      confirmations: [],
      changeReason: null,
      lockVersion: 1,
      createdBy: 'T0301',
      createdAt: CREATED,
      updatedAt: CREATED,
      launchedAt: null,
      ...o,
    });
  },
  draft: (o: Partial<ServiceVersionProps> & { itemId: string }) =>
    ServiceVersionMother.create({ state: 'draft', ...o }),
  online: (o: Partial<ServiceVersionProps> & { itemId: string }) =>
    ServiceVersionMother.create({ state: 'online', launchedAt: CREATED, ...o }),
};
