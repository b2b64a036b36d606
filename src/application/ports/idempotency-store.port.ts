/** What a request carrying an Idempotency-Key finds when it claims the key. */
export type IdempotencyClaim =
  | { kind: 'new' }
  /** The same request was answered before: this is its answer. */
  | { kind: 'replay'; status: number; body: unknown }
  /** The key was used for another request. */
  | { kind: 'mismatch' }
  /** The first request with this key is still running. */
  | { kind: 'in-progress' };

/**
 * Idempotency-Key records per person and key: the first request claims the key, a duplicate gets
 * the first one's answer, a request that failed gives the key back.
 */
export interface IdempotencyStore {
  begin(o: { actor: string; key: string; operation: string; hash: string; at: Date }): Promise<IdempotencyClaim>;
  complete(o: { actor: string; key: string; status: number; body: unknown }): Promise<void>;
  release(o: { actor: string; key: string }): Promise<void>;
}
