/** Login attempts per account and address: brute-force protection and a trace of account use. */
export interface LoginAttempts {
  /**
   * Failures since `since`: of this account, from any address, after its last success; and from
   * this address, whichever accounts it tried (a success does not clear an address).
   */
  recentFailures(options: {
    username: string;
    ip: string;
    since: Date;
  }): Promise<{ ofAccount: number; fromAddress: number }>;
  record(attempt: { username: string; ip: string; success: boolean; at: Date }): Promise<void>;
}
