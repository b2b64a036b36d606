import { expect } from 'chai';
import { UnconfiguredConnectorsUseCase } from '../../../../src/application/service-items/unconfigured-connectors.use-case.js';
import { FakeBusinessConnectors } from '../../../fakes/in-memory-connector-queue.js';
import { NodeMother, ProcessDefinitionMother } from '../../../mothers/process-definition.mother.js';
import { ServiceItemMother, ServiceVersionMother } from '../../../mothers/service-item.mother.js';
import { hallWithItem } from '../hall.scenario.js';

describe('UnconfiguredConnectorsUseCase', () => {
  it('names the transfer nodes of online items whose business system is not configured; drafts do not count', async () => {
    const { hall } = hallWithItem({
      definition: ProcessDefinitionMother.create({
        steps: [NodeMother.transfer({ key: 'dorm', name: '宿舍系统', connector: 'dormitory-system' })],
      }),
    });
    const library = ServiceItemMother.online({ code: 'TSG-JY', onlineVersionId: globalThis.crypto.randomUUID() });
    hall.seed.item(library);
    hall.seed.version(
      ServiceVersionMother.online({
        id: library.onlineVersionId!,
        itemId: library.id,
        definition: ProcessDefinitionMother.create({
          steps: [NodeMother.transfer({ key: 'lend', name: '图书系统', connector: 'library-system' })],
        }),
      }),
    );
    const building = ServiceItemMother.building({ code: 'CW-NEW' });
    hall.seed.item(building);
    hall.seed.version(
      ServiceVersionMother.draft({
        itemId: building.id,
        definition: ProcessDefinitionMother.create({
          steps: [NodeMother.transfer({ key: 'x', name: '未上线', connector: 'archive-system' })],
        }),
      }),
    );
    const missing = (configured: string[]) =>
      new UnconfiguredConnectorsUseCase({
        uow: hall.uow,
        connectors: new FakeBusinessConnectors(Object.fromEntries(configured.map((c) => [c, () => null]))),
      }).execute();
    expect(await missing(['dormitory-system'])).to.deep.equal([
      {
        code: 'TSG-JY',
        itemId: library.id,
        versionId: library.onlineVersionId,
        node: 'lend',
        connector: 'library-system',
      },
    ]);
    expect((await missing([])).map((m) => m.connector).sort()).to.deep.equal(['dormitory-system', 'library-system']);
    expect(await missing(['dormitory-system', 'library-system'])).to.deep.equal([]);
  });
});
