/** Login attempts per username and address: brute-force protection and a trace of account use. */
export interface LoginAttempts {
  failuresSince(options: { username: string; ip: string; since: Date }): Promise<number>;
  record(attempt: { username: string; ip: string; success: boolean; at: Date }): Promise<void>;
}
