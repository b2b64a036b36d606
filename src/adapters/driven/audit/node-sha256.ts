import { createHash } from 'node:crypto';
import type { Sha256 } from '../../../application/ports/hasher.port.js';

export class NodeSha256 implements Sha256 {
  digest(data: Uint8Array): Uint8Array {
    return new Uint8Array(createHash('sha256').update(data).digest());
  }
}
