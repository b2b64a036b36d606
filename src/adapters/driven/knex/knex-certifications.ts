import type { Knex } from 'knex';
import type { CertificationRecord, Certifications } from '../../../application/ports/role-assignments.port.js';

const day = (d: Date | string) =>
  typeof d === 'string'
    ? d.slice(0, 10)
    : new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);

export class KnexCertifications implements Certifications {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async add(c: CertificationRecord): Promise<void> {
    await this.db('certifications').insert({
      id: c.id,
      person_id: c.personId,
      course: c.course,
      passed_on: c.passedOn,
      expires_on: c.expiresOn,
      recorded_by: c.recordedBy,
      recorded_at: c.recordedAt,
    });
  }

  async of(personId: string): Promise<CertificationRecord[]> {
    const rows = (await this.db('certifications')
      .where({ person_id: personId })
      .orderBy('expires_on', 'desc')) as Array<{
      id: string;
      person_id: string;
      course: string;
      passed_on: Date | string;
      expires_on: Date | string;
      recorded_by: string;
      recorded_at: Date;
    }>;
    return rows.map((r) => ({
      id: r.id,
      personId: r.person_id,
      course: r.course,
      passedOn: day(r.passed_on),
      expiresOn: day(r.expires_on),
      recordedBy: r.recorded_by,
      recordedAt: r.recorded_at,
    }));
  }
}
