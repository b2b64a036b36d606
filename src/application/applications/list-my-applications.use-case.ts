import { ok, type Result } from '../../domain/shared/result.js';
import type { Actor } from '../ports/actor.js';
import type { ApplicationSummaries, ApplicationSummary } from '../ports/application-summaries.port.js';

/** An applicant's own applications, and nobody else's: summaries, newest first; the progress of one is GET …/{id}. */
export class ListMyApplicationsUseCase {
  constructor(private readonly deps: { summaries: ApplicationSummaries }) {}

  async execute(input: {
    actor: Actor;
    limit: number;
    cursor?: string;
  }): Promise<Result<{ items: ApplicationSummary[]; nextCursor: string | null }, never>> {
    return ok(
      await this.deps.summaries.ofApplicant({
        applicantId: input.actor.personId,
        limit: input.limit,
        cursor: input.cursor,
      }),
    );
  }
}
