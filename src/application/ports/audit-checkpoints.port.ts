import type { NoteSignature } from '../../domain/audit/checkpoint.js';

/** A published checkpoint as kept in the database. */
export interface StoredCheckpoint {
  id: number;
  treeSize: number;
  /** Hex. */
  rootHash: string;
  /** The signing key's id (8 hex digits, the signed note's key id). */
  keyId: string;
  /** The signed note, exactly as published. */
  note: string;
  publishedAt: Date;
}

export interface AuditCheckpoints {
  append(c: Omit<StoredCheckpoint, 'id'>): Promise<StoredCheckpoint>;
  latest(): Promise<StoredCheckpoint | null>;
  /** Every checkpoint, smallest tree first (then oldest first). */
  list(): Promise<StoredCheckpoint[]>;
}

/** The key that signs checkpoints (Ed25519 by default). */
export interface CheckpointSigner {
  /** The signed note's key name: the log's origin. */
  readonly keyName: string;
  /** 8 hex digits. */
  readonly keyId: string;
  /** The signed-note verifier key: `<name>+<key id hex>+<base64(0x01 || public key)>`. */
  readonly verifierKey: string;
  /** The public key, SPKI PEM. */
  readonly publicKeyPem: string;
  sign(body: string): NoteSignature;
}

/** The checkpoint keys: the current signer, every public key ever used (retired ones too), rotation. */
export interface CheckpointKeys {
  signer(): Promise<CheckpointSigner>;
  /** Verifier keys of the current key and of every retired one. */
  verifierKeys(): Promise<string[]>;
  /** Retires the current key (its public key is kept for verifying) and makes a new one. */
  rotate(): Promise<{ retiredKeyId: string | null; keyId: string }>;
}

export type NoteCheck =
  | { ok: true; keyName: string; keyId: string; treeSize: number; rootHash: Uint8Array; origin: string }
  | { ok: false; reason: string };

/** Checks signed checkpoint notes against verifier keys, offline. */
export interface NoteVerifier {
  /** Whether the note is well formed and signed by one of the keys; says why not. */
  verify(note: string, verifierKeys: readonly string[]): NoteCheck;
  /** Name and key id of a verifier key, or why it is not one. */
  describeKey(verifierKey: string): { ok: true; keyName: string; keyId: string } | { ok: false; reason: string };
}

/** Somewhere outside the database a copy of every checkpoint goes (a file appended to). */
export interface CheckpointSink {
  publish(note: string): Promise<void>;
}
