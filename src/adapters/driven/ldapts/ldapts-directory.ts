import {
  AdminLimitExceededError,
  Client,
  EqualityFilter,
  InvalidCredentialsError,
  ResultCodeError,
  SizeLimitExceededError,
  type Entry,
} from 'ldapts';
import { z } from 'zod';
import type { Directory } from '../../../application/ports/directory.port.js';
import type { EmploymentStatus, Person } from '../../../application/ports/organisation.port.js';
import type { LdapConfig } from './ldapts-identity-provider.js';

/** Directory values of the person-type attribute and what they mean to the hall (compared trimmed, case-insensitively). */
export const DEFAULT_LDAP_TYPE_VALUES: Readonly<Record<string, Person['type']>> = {
  staff: 'staff',
  faculty: 'staff',
  teacher: 'staff',
  employee: 'staff',
  教职工: 'staff',
  教师: 'staff',
  职工: 'staff',
  student: 'student',
  undergraduate: 'student',
  postgraduate: 'student',
  graduate: 'student',
  学生: 'student',
  本科生: 'student',
  研究生: 'student',
};

/** Directory values of the status attribute and what they mean to the hall (compared trimmed, case-insensitively). */
export const DEFAULT_LDAP_STATUS_VALUES: Readonly<Record<string, EmploymentStatus>> = {
  active: 'active',
  在职: 'active',
  在读: 'active',
  在校: 'active',
  left: 'left',
  离职: 'left',
  毕业: 'left',
  离校: 'left',
  retired: 'retired',
  退休: 'retired',
  suspended: 'suspended',
  停用: 'suspended',
  休学: 'suspended',
};

export interface LdapDirectoryConfig extends Pick<
  LdapConfig,
  'url' | 'bindDn' | 'bindPassword' | 'baseDn' | 'timeoutMs'
> {
  /** The staff or student number, the hall's person id (default employeeNumber; the same as LdapConfig.idAttribute). */
  idAttribute?: string;
  /** The name shown in the hall (default displayName)… */
  nameAttribute?: string;
  /** …or, when that is absent, this one (default cn; its first value). */
  nameFallbackAttribute?: string;
  /** staff or student, through typeValues (default employeeType). */
  typeAttribute?: string;
  /** The hall's unit key (default departmentNumber). */
  unitAttribute?: string;
  /**
   * Employment status, through statusValues (default businessCategory: inetOrgPerson has no status
   * attribute, and businessCategory is a free-text, multi-valued standard attribute that directory
   * admins can fill and most admin tools show). An entry without it is taken as active.
   */
  statusAttribute?: string;
  /** Default mail; the first value when there are several. */
  emailAttribute?: string;
  /** Replaces DEFAULT_LDAP_TYPE_VALUES (spread it to extend). */
  typeValues?: Readonly<Record<string, Person['type']>>;
  /** Replaces DEFAULT_LDAP_STATUS_VALUES (spread it to extend). */
  statusValues?: Readonly<Record<string, EmploymentStatus>>;
  /** Entries per page of the paged search (RFC 2696), default 500; keep it within the server's page limit. */
  pageSize?: number;
}

const MAX_PROBLEMS_SHOWN = 20;
const isEmail = (v: string) => z.email().safeParse(v).success;
const lowerKeys = <T>(map: Readonly<Record<string, T>>) =>
  new Map(Object.entries(map).map(([k, v]) => [k.trim().toLowerCase(), v]));

/**
 * People from an LDAP directory of inetOrgPerson entries, read with the service account in a paged
 * subtree search (filter object, only the attributes it maps).
 *
 * Mapping: id, unit and type are required; type and status values go through configurable maps
 * (unknown values are not guessed); a missing status attribute means active, since a directory
 * usually lists the people currently there. Like FileDirectory, a directory with any entry it cannot
 * map — no id, several ids, a duplicate id, no unit or several, no name, an unknown or conflicting
 * type or status, a malformed email — is refused whole, naming each offending DN (the first 20),
 * so a broken directory never disables people.
 *
 * Paging: the search never sets a size limit (ldapts would then take the server's "size limit
 * exceeded" as success, and people beyond it would look gone); a server limit is an error instead.
 * The service account must be allowed to page through everyone: OpenLDAP caps even paged searches
 * at the hard size limit (default 500) unless the account has size.prtotal=unlimited, and refuses
 * pages larger than size.pr. timeoutMs applies to each page, not to the whole read.
 */
export class LdaptsDirectory implements Directory {
  private readonly a: {
    id: string;
    name: string;
    nameFallback: string;
    type: string;
    unit: string;
    status: string;
    email: string;
  };
  private readonly typeValues: Map<string, Person['type']>;
  private readonly statusValues: Map<string, EmploymentStatus>;
  private readonly pageSize: number;

  constructor(private readonly config: LdapDirectoryConfig) {
    this.a = {
      id: config.idAttribute ?? 'employeeNumber',
      name: config.nameAttribute ?? 'displayName',
      nameFallback: config.nameFallbackAttribute ?? 'cn',
      type: config.typeAttribute ?? 'employeeType',
      unit: config.unitAttribute ?? 'departmentNumber',
      status: config.statusAttribute ?? 'businessCategory',
      email: config.emailAttribute ?? 'mail',
    };
    this.typeValues = lowerKeys(config.typeValues ?? DEFAULT_LDAP_TYPE_VALUES);
    this.statusValues = lowerKeys(config.statusValues ?? DEFAULT_LDAP_STATUS_VALUES);
    this.pageSize = config.pageSize ?? 500;
    if (!Number.isInteger(this.pageSize) || this.pageSize < 1)
      throw new Error(`LDAP directory pageSize must be a positive integer, not ${config.pageSize}`);
    if (!config.bindDn || !config.bindPassword)
      throw new Error(
        'LDAP directory needs a service account: an empty bindDn or bindPassword would be an anonymous bind',
      );
  }

  async people(): Promise<Person[]> {
    const { url, bindDn, bindPassword, baseDn, timeoutMs } = this.config;
    const client = new Client({ url, timeout: timeoutMs, connectTimeout: timeoutMs });
    const people: Person[] = [];
    const problems: string[] = [];
    const seen = new Map<string, string>();
    let stage: 'bind' | 'search' = 'bind';
    try {
      await client.bind(bindDn, bindPassword);
      stage = 'search';
      const pages = client.searchPaginated(baseDn, {
        scope: 'sub',
        filter: new EqualityFilter({ attribute: 'objectClass', value: 'inetOrgPerson' }),
        attributes: [...new Set(Object.values(this.a))],
        paged: { pageSize: this.pageSize },
      });
      for await (const page of pages) {
        for (const entry of page.searchEntries) {
          const mapped = this.map(entry);
          if (typeof mapped === 'string') {
            problems.push(`${entry.dn}: ${mapped}`);
            continue;
          }
          const first = seen.get(mapped.id);
          if (first !== undefined) {
            problems.push(`${entry.dn}: ${this.a.id} ${mapped.id} is also the id of ${first}`);
            continue;
          }
          seen.set(mapped.id, entry.dn);
          people.push(mapped);
        }
      }
    } catch (e) {
      throw this.explain(e, stage);
    } finally {
      await client.unbind().catch(() => undefined);
    }
    if (problems.length) {
      const more = problems.length > MAX_PROBLEMS_SHOWN ? `\n  … and ${problems.length - MAX_PROBLEMS_SHOWN} more` : '';
      throw new Error(
        `the directory ${url} (${baseDn}) is refused whole: the hall cannot map ${problems.length} ${problems.length === 1 ? 'entry' : 'entries'}:\n  ${problems.slice(0, MAX_PROBLEMS_SHOWN).join('\n  ')}${more}`,
      );
    }
    return people;
  }

  private explain(e: unknown, stage: 'bind' | 'search'): Error {
    const { url, bindDn, baseDn } = this.config;
    const message = e instanceof Error ? e.message : String(e);
    if (e instanceof InvalidCredentialsError)
      return new Error(`the directory ${url} refused the service account ${bindDn}: check its DN and password`, {
        cause: e,
      });
    if (e instanceof SizeLimitExceededError) {
      return new Error(
        `the directory ${url} stopped the search under ${baseDn} at a size limit for ${bindDn}; a partial list is never used: lift the account's total limit for paged searches (OpenLDAP: limits dn.exact="${bindDn}" size.prtotal=unlimited)`,
        { cause: e },
      );
    }
    if (e instanceof AdminLimitExceededError) {
      return new Error(
        `the directory ${url} refused the search under ${baseDn} at an administrative limit (${message}): if it is the page size, set pageSize (now ${this.pageSize}) at or below the server's page limit (OpenLDAP size.pr, Active Directory MaxPageSize)`,
        { cause: e },
      );
    }
    if (e instanceof ResultCodeError) {
      return new Error(
        stage === 'bind'
          ? `the directory ${url} refused the service account ${bindDn}: ${message}`
          : `the directory ${url} refused the search under ${baseDn}: ${message}`,
        { cause: e },
      );
    }
    return new Error(`the directory could not be reached: ${url}: ${message}`, { cause: e });
  }

  /** The person, or what is wrong with the entry. */
  private map(entry: Entry): Person | string {
    const wrong: string[] = [];
    const read = (attribute: string): string[] => {
      const key = Object.keys(entry).find((k) => k.toLowerCase() === attribute.toLowerCase());
      const raw = key === undefined ? [] : entry[key];
      const values = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) as Array<string | Buffer>;
      if (values.some((v) => typeof v !== 'string')) wrong.push(`${attribute} is not UTF-8 text`);
      return values
        .filter((v): v is string => typeof v === 'string')
        .map((v) => v.trim())
        .filter((v) => v !== '');
    };
    const single = (attribute: string, max: number): string | null => {
      const values = [...new Set(read(attribute))];
      if (values.length === 0) {
        wrong.push(`no ${attribute}`);
        return null;
      }
      if (values.length > 1) {
        wrong.push(`${values.length} values of ${attribute} (${values.join(', ')}), expected one`);
        return null;
      }
      if ([...values[0]!].length > max) {
        wrong.push(`${attribute} longer than ${max} characters`);
        return null;
      }
      return values[0]!;
    };
    const mapped = <T>(attribute: string, map: Map<string, T>, absent: T | null): T | null => {
      const values = read(attribute);
      if (values.length === 0) {
        if (absent === null) wrong.push(`no ${attribute}`);
        return absent;
      }
      const unknown = values.filter((v) => !map.has(v.toLowerCase()));
      if (unknown.length) {
        wrong.push(`unknown ${attribute} ${unknown.map((v) => `'${v}'`).join(', ')}`);
        return null;
      }
      const meanings = [...new Set(values.map((v) => map.get(v.toLowerCase())!))];
      if (meanings.length > 1) {
        wrong.push(`conflicting ${attribute} values ${values.map((v) => `'${v}'`).join(', ')}`);
        return null;
      }
      return meanings[0]!;
    };

    const id = single(this.a.id, 64);
    const displayName = read(this.a.name)[0];
    const name = displayName ?? read(this.a.nameFallback)[0];
    if (name === undefined) wrong.push(`no ${this.a.name} or ${this.a.nameFallback}`);
    else if ([...name].length > 100) wrong.push(`name longer than 100 characters`);
    const type = mapped(this.a.type, this.typeValues, null);
    const unit = single(this.a.unit, 64);
    const status = mapped<EmploymentStatus>(this.a.status, this.statusValues, 'active');
    const email = read(this.a.email)[0] ?? null;
    if (email !== null && !isEmail(email)) wrong.push(`${this.a.email} '${email}' is not an email address`);

    if (wrong.length || id === null || name === undefined || type === null || unit === null || status === null)
      return wrong.join('; ');
    return { id, name, type, unit, status, email };
  }
}
