import { readFile } from 'node:fs/promises';

/** What an offline command needs of oclif's Command to refuse with exit 2. */
interface Refuser {
  error(message: string, options: { exit: number }): never;
}

/** A file an offline check reads; one that cannot be read is a usage error (exit 2). */
export function readInput(cmd: Refuser, file: string): Promise<string> {
  return readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) =>
    cmd.error(`cannot read ${file}: ${e.code ?? e.message}`, { exit: 2 }),
  );
}

/** A verifier key given as itself (<name>+<key id>+<key>) or as a file holding it. */
export async function verifierKey(cmd: Refuser, given: string): Promise<string> {
  return given.includes('+') ? given : (await readInput(cmd, given)).trim();
}
