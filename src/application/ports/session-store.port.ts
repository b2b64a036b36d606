export interface Session {
  id: string;
  personId: string;
  provider: string;
  expiresAt: Date;
}

/** Issues and checks signed session tokens; sessions can be ended before they expire. */
export interface SessionStore {
  open(options: {
    personId: string;
    provider: string;
    at: Date;
    externalRef?: string;
    /** Where and with what the person signed in (Art. 19): the client address, and its User-Agent. */
    ip?: string;
    client?: string;
  }): Promise<{ token: string; session: Session }>;
  /** The live session for a token, or null when the token is forged, expired or ended. */
  resolve(token: string, at: Date): Promise<Session | null>;
  end(sessionId: string, at: Date): Promise<void>;
  /** Single logout from the SSO server: ends the sessions opened with that server-side reference. */
  endByExternalRef(externalRef: string, at: Date): Promise<number>;
}
