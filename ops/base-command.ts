import { Command, Flags, type Interfaces } from '@oclif/core';
import type { Logger } from 'pino';
import { buildContainer, disposeContainer, type Container } from '../src/adapters/composition/container.js';
import { buildSchemaContainer } from '../src/adapters/composition/schema.js';
import type { UseCases } from '../src/adapters/composition/use-cases.js';
import type { Actor } from '../src/application/ports/actor.js';
import { prepareDatabase } from '../src/bootstrap.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { createLogger } from '../src/lifecycle.js';
import type { DomainError } from '../src/domain/shared/errors.js';
import type { Result } from '../src/domain/shared/result.js';

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<
  (typeof BaseCommand)['baseFlags'] & T['flags']
>;

/** Exit code of a command refused because the database's schema is behind the code. */
export const EXIT_PENDING_MIGRATIONS = 3;

/**
 * Every `hall` command: builds the same container as the API in init(), runs use cases (typed, as
 * `this.useCases`) as the operator, disposes it in finally(). `--json` prints the typed result; a
 * refusal exits with 2. Only `hall db migrate` changes the schema: any other command refuses with
 * exit 3 while migrations are pending. Warnings and errors are logged to stderr (LOG_LEVEL to change).
 */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true;
  static override baseFlags = {
    operator: Flags.string({
      description: 'your staff id, recorded in every audit entry (env HALL_OPERATOR)',
      env: 'HALL_OPERATOR',
    }),
  };

  /** Commands that manage the schema itself run before migrations, with the schema's use case only. */
  static schemaCommand = false;

  protected flags!: BaseFlags<T>;
  private container: Container | undefined;
  private schema: ReturnType<typeof buildSchemaContainer> | undefined;
  private embedded: Awaited<ReturnType<typeof prepareDatabase>>['embedded'];

  /** The use cases, the same as the API's. */
  protected get useCases(): UseCases {
    if (!this.container) throw new Error('a schema command has only schemaUseCases');
    return this.container.useCases;
  }

  /** For schema commands: the migrations of the database, which may not be migrated yet. */
  protected get schemaUseCases(): ReturnType<typeof buildSchemaContainer>['useCases'] {
    if (!this.schema) throw new Error('only a schema command has schemaUseCases');
    return this.schema.useCases;
  }

  private log$: Logger | undefined;

  protected get logger(): Logger {
    return (this.log$ ??= createLogger('warn', 2));
  }

  override async init(): Promise<void> {
    await super.init();
    const { flags } = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (this.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    });
    this.flags = flags as BaseFlags<T>;
    let config;
    try {
      config = loadConfig({ ...process.env, SEED_DEMO: process.env.SEED_DEMO ?? '0' });
    } catch (e) {
      if (e instanceof ConfigError) this.error(e.message, { exit: 78 });
      throw e;
    }
    // warnings and errors unless LOG_LEVEL asks for more (or less)
    this.log$ = createLogger(process.env.LOG_LEVEL ? config.logLevel : 'warn', 2);
    const schemaCommand = (this.ctor as typeof BaseCommand).schemaCommand;
    const prepared = await prepareDatabase(config, this.logger, { migrate: false });
    this.embedded = prepared.embedded;
    if (schemaCommand) {
      this.schema = buildSchemaContainer(prepared.config.databaseUrl);
      return;
    }
    if (prepared.pending.length) {
      const n = prepared.pending.length;
      this.error(
        `the database's schema is behind this version of the hall: ${n} migration${n === 1 ? '' : 's'} pending ` +
          `(${prepared.pending.join(', ')}). Nothing was done. Run \`hall db migrate\` first.`,
        { exit: EXIT_PENDING_MIGRATIONS, code: 'SCHEMA.MIGRATIONS_PENDING' },
      );
    }
    this.container = await buildContainer(prepared.config, undefined, this.logger);
  }

  /** The operator, verified against the directory: an active staff member. */
  protected async operator(): Promise<Actor> {
    const id = (this.flags as { operator?: string }).operator;
    if (!id) this.error('say who you are: --operator <staff id> or HALL_OPERATOR', { exit: 2 });
    const identified = await this.useCases.identifyOperator.execute({
      personId: id,
      requestId: `cli-${globalThis.crypto.randomUUID()}`,
    });
    if (!identified.ok) this.error(identified.error.message, { exit: 2 });
    return identified.value;
  }

  /** A business refusal becomes a clear message and exit code 2 (with --json, a JSON error). */
  protected unwrap<V>(result: Result<V, DomainError>): V {
    if (!result.ok) {
      const e = result.error;
      const reasons =
        'problems' in e && Array.isArray((e as { problems: unknown[] }).problems)
          ? (e as unknown as { problems: Array<{ path: string; message: string }> }).problems
              .map((p) => `\n  - ${p.message}`)
              .join('')
          : '';
      this.error(`${e.message} [${e.code}]${reasons}`, { exit: 2, code: e.code });
    }
    return result.value;
  }

  protected override async finally(err: Error | undefined): Promise<void> {
    if (this.container) await disposeContainer(this.container);
    await this.schema?.dispose();
    await this.embedded?.stop();
    await super.finally(err);
  }
}
