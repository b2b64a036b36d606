/** Local account passwords, kept only as salted, slow hashes. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Whether password is the one hashed into stored; false for anything not such a hash. */
  verify(password: string, stored: string): Promise<boolean>;
}
