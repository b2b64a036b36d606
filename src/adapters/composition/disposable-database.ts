import { rm } from 'node:fs/promises';
import { freePort, startEmbeddedDatabase } from '../driven/embedded-postgres/embedded-database.js';

/** A port nobody listens on now (for the processes a drill starts). */
export { freePort };

/**
 * A PostgreSQL server of its own under `dataDir` (the embedded binaries), for a drill's sandbox:
 * it can be stopped and started again on the same port, and is removed with its folder at the end.
 */
export interface DisposableDatabase {
  readonly port: number;
  /** The application database, on the server's own port. */
  readonly url: string;
  readonly running: boolean;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes its folder. */
  dispose(): Promise<void>;
}

export async function startDisposableDatabase(dataDir: string, database = 'service_hall'): Promise<DisposableDatabase> {
  const port = await freePort();
  let current: Awaited<ReturnType<typeof startEmbeddedDatabase>> | undefined = await startEmbeddedDatabase({
    dataDir,
    database,
    port,
  });
  const url = current.url;
  const db: DisposableDatabase = {
    port,
    url,
    get running() {
      return current !== undefined;
    },
    async stop() {
      const db = current;
      current = undefined;
      await db?.stop();
    },
    async start() {
      current ??= await startEmbeddedDatabase({ dataDir, database, port });
    },
    async dispose() {
      await db.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return db;
}
