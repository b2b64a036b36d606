/** SHA-256, for the audit log's Merkle tree (the domain and the use cases import no crypto). */
export interface Sha256 {
  digest(data: Uint8Array): Uint8Array;
}
