import { Command, Flags, type Interfaces } from '@oclif/core';
import type { Container } from 'inversify';
import pino, { type Logger } from 'pino';
import { buildContainer, disposeContainer } from '../src/adapters/composition/container.js';
import type { EmbeddedDatabase } from '../src/adapters/driven/embedded-postgres/embedded-database.js';
import type { Actor } from '../src/application/ports/actor.js';
import { ORGANISATION, type Organisation } from '../src/application/ports/organisation.port.js';
import { prepareDatabase } from '../src/bootstrap.js';
import { ConfigError, loadConfig } from '../src/config.js';
import type { DomainError } from '../src/domain/shared/errors.js';
import type { Result } from '../src/domain/shared/result.js';
import { isActiveStaff } from '../src/domain/people/active-staff.js';

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>;

/**
 * Every `hall` command: builds the same container as the API in init(), runs one use case as the
 * operator, disposes it in finally(). `--json` prints the typed result; a refusal exits with 2.
 */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true;
  static override baseFlags = {
    operator: Flags.string({ description: 'your staff id, recorded in every audit entry (env HALL_OPERATOR)', env: 'HALL_OPERATOR' }),
  };

  /** Commands that manage the schema itself run before migrations and without the use cases. */
  static schemaCommand = false;

  protected flags!: BaseFlags<T>;
  protected container!: Container;
  protected databaseUrl!: string;
  private embedded: EmbeddedDatabase | undefined;

  protected get logger(): Logger {
    return pino({ level: 'silent' });
  }

  override async init(): Promise<void> {
    await super.init();
    const { flags } = await this.parse({
      flags: this.ctor.flags, baseFlags: (this.ctor as typeof BaseCommand).baseFlags, enableJsonFlag: this.ctor.enableJsonFlag, args: this.ctor.args, strict: this.ctor.strict,
    });
    this.flags = flags as BaseFlags<T>;
    let config;
    try {
      config = loadConfig({ ...process.env, SEED_DEMO: process.env.SEED_DEMO ?? '0' });
    } catch (e) {
      if (e instanceof ConfigError) this.error(e.message, { exit: 78 });
      throw e;
    }
    const schemaCommand = (this.ctor as typeof BaseCommand).schemaCommand;
    const prepared = await prepareDatabase(config, this.logger, { migrate: !schemaCommand });
    this.embedded = prepared.embedded;
    this.databaseUrl = prepared.config.databaseUrl;
    if (!schemaCommand) this.container = await buildContainer(prepared.config, undefined, this.logger);
  }

  /** The operator, verified against the directory: an active staff member. */
  protected async operator(): Promise<Actor> {
    const id = (this.flags as { operator?: string }).operator;
    if (!id) this.error('say who you are: --operator <staff id> or HALL_OPERATOR', { exit: 2 });
    const person = await this.container.get<Organisation>(ORGANISATION).person(id);
    if (!person || !isActiveStaff(person)) this.error(`operator '${id}' is not active staff in the directory`, { exit: 2 });
    return { personId: id, requestId: `cli-${globalThis.crypto.randomUUID()}` };
  }

  /** A business refusal becomes a clear message and exit code 2 (with --json, a JSON error). */
  protected unwrap<V>(result: Result<V, DomainError>): V {
    if (!result.ok) {
      const e = result.error;
      const reasons = 'problems' in e && Array.isArray((e as { problems: unknown[] }).problems)
        ? (e as unknown as { problems: Array<{ path: string; message: string }> }).problems.map((p) => `\n  - ${p.message}`).join('') : '';
      this.error(`${e.message} [${e.code}]${reasons}`, { exit: 2, code: e.code });
    }
    return result.value;
  }

  protected override async finally(err: Error | undefined): Promise<void> {
    if (this.container) await disposeContainer(this.container);
    await this.embedded?.stop();
    await super.finally(err);
  }
}
