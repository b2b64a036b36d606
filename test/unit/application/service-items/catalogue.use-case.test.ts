import { expect } from 'chai';
import { CatalogueUseCase } from '../../../../src/application/service-items/catalogue.use-case.js';
import { value } from '../../../fixtures/result.js';
import { ServiceItemMother, ServiceVersionMother } from '../../../mothers/service-item.mother.js';
import { hallWithItem } from '../hall.scenario.js';

describe('CatalogueUseCase (服务目录)', () => {
  it('lists the items that accept applications, each on its online version with its steps and form', async () => {
    const { hall, item, version, definition } = hallWithItem();
    const leaving = ServiceItemMother.offboardingPending({
      code: 'HQ-SSTH',
      owningUnit: 'logistics',
      onlineVersionId: globalThis.crypto.randomUUID(),
    });
    hall.seed.item(leaving);
    hall.seed.version(ServiceVersionMother.online({ id: leaving.onlineVersionId!, itemId: leaving.id }));
    hall.seed.item(ServiceItemMother.building({ code: 'CW-NEW' }));
    hall.seed.item(ServiceItemMother.create({ code: 'CW-OLD', state: 'offline' }));
    const page = value(await new CatalogueUseCase(hall).execute({ limit: 10 }));
    expect(page.items.map((e) => e.code)).to.deep.equal(['CW-CLBX', 'HQ-SSTH']);
    expect(page.items[0]).to.deep.include({
      id: item.id,
      versionId: version.id,
      versionNumber: 1,
      form: definition.form,
      owningUnit: 'finance',
    });
    expect(page.items[0]!.nodes).to.deep.equal([
      { key: 'apply', name: '提交申请', kind: 'start' },
      { key: 'check', name: '财务审核', kind: 'review' },
      { key: 'done', name: '办结', kind: 'complete' },
    ]);
  });

  it('leaves out an online item whose version has no definition', async () => {
    const { hall } = hallWithItem();
    const broken = ServiceItemMother.online({ code: 'CW-ZZZ', onlineVersionId: globalThis.crypto.randomUUID() });
    hall.seed.item(broken);
    hall.seed.version(
      ServiceVersionMother.online({ id: broken.onlineVersionId!, itemId: broken.id, definition: null }),
    );
    expect(value(await new CatalogueUseCase(hall).execute({ limit: 10 })).items.map((e) => e.code)).to.deep.equal([
      'CW-CLBX',
    ]);
  });

  it('pages with the cursor of the page before', async () => {
    const { hall } = hallWithItem();
    const other = ServiceItemMother.online({
      code: 'JW-ZDZM',
      owningUnit: 'academic-affairs',
      onlineVersionId: globalThis.crypto.randomUUID(),
    });
    hall.seed.item(other);
    hall.seed.version(ServiceVersionMother.online({ id: other.onlineVersionId!, itemId: other.id }));
    const uc = new CatalogueUseCase(hall);
    const first = value(await uc.execute({ limit: 1 }));
    const second = value(await uc.execute({ limit: 1, cursor: first.nextCursor! }));
    expect([first.items[0]!.code, second.items[0]!.code, second.nextCursor]).to.deep.equal([
      'CW-CLBX',
      'JW-ZDZM',
      null,
    ]);
  });
});
