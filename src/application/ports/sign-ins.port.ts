/** A session as a sign-in: when, how, from where and with what, and how long it was used. */
export interface SignIn {
  sessionId: string;
  personId: string;
  provider: string;
  at: string;
  ip: string | null;
  client: string | null;
  /** The last activity seen (at most a minute behind). */
  lastSeenAt: string;
  endedAt: string | null;
  expiresAt: string;
}

/** Two sessions of one account in use at the same time from different addresses. */
export interface ConcurrentUse {
  personId: string;
  first: SignIn;
  second: SignIn;
}

/** Sign-ins read for tracing misuse of accounts (Art. 19), outside any transaction. */
export interface SignInLog {
  /** A person's sign-ins, newest first, in [from, to). */
  ofPerson(o: { personId: string; from: Date; to: Date; limit: number }): Promise<SignIn[]>;
  /** Pairs of sessions of one person used at overlapping times from different addresses, opened in [from, to). */
  concurrent(o: { from: Date; to: Date; limit: number }): Promise<ConcurrentUse[]>;
}
