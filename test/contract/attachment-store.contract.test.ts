import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalDiskAttachmentStore } from '../../src/adapters/driven/local-disk/local-disk-attachment-store.js';
import { InMemoryAttachmentStore } from '../fakes/in-memory-attachments.js';
import { attachmentStoreContract } from './attachment-store.contract.js';
import { fakeSide, realSide } from './sides.js';

attachmentStoreContract('InMemoryAttachmentStore, InMemoryAttachmentRepository', async () => {
  const side = fakeSide();
  const store = new InMemoryAttachmentStore();
  return {
    ...side,
    store,
    corrupt: async (key) => {
      const bytes = store.files.get(key)!;
      bytes[0] = (bytes[0] ?? 0) ^ 0xff;
    },
  };
});

attachmentStoreContract(
  'LocalDiskAttachmentStore (a real directory), KnexAttachmentRepository (real PostgreSQL)',
  async () => {
    const side = await realSide();
    const root = await mkdtemp(path.join(tmpdir(), 'hall-attachments-'));
    return {
      ...side,
      store: new LocalDiskAttachmentStore(root),
      corrupt: (key) => writeFile(path.join(root, key.slice(0, 2), key), 'tampered'),
      close: async () => {
        await side.close();
        await rm(root, { recursive: true, force: true });
      },
    };
  },
);
