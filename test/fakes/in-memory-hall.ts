import type { Application } from '../../src/domain/application/application.entity.js';
import { WorkingCalendar } from '../../src/domain/calendar/working-calendar.js';
import type { Evaluation } from '../../src/domain/evaluation/evaluation.entity.js';
import type { FollowUp } from '../../src/domain/evaluation/follow-up.entity.js';
import type { ServiceItem } from '../../src/domain/service-item/service-item.entity.js';
import type { ServiceVersion } from '../../src/domain/service-item/service-version.entity.js';
import type { Absence } from '../../src/application/ports/absences.port.js';
import type { AttachmentRecord } from '../../src/application/ports/attachment-store.port.js';
import type { Person, Role, Unit } from '../../src/application/ports/organisation.port.js';
import type { PrintoutSigner } from '../../src/application/ports/printout.port.js';
import { InMemoryApplicationSummaries, InMemoryTaskInbox, storedProps } from './in-memory-application.repository.js';
import { RecordingMetrics } from './recording-metrics.js';
import { InMemoryHandlerLists } from './in-memory-handler-lists.js';
import { InMemoryReadTrail } from './in-memory-read-trail.js';
import { FakeAttachmentInspector, InMemoryAttachmentStore } from './in-memory-attachments.js';
import { InMemoryCalendarStore } from './in-memory-calendar-store.js';
import { FakeBusinessConnectors } from './in-memory-connector-queue.js';
import { InMemoryDatabase, type StoredJob } from './in-memory-database.js';
import { FakeClock } from './fake-clock.js';
import { FakeConditionEvaluator, FakeFormSchemaChecker, FakeFormValidator } from './fake-forms.js';
import { FakeIdentityProvider, FakeSsoProvider, InMemoryLoginAttempts, InMemorySessionStore } from './fake-identity.js';
import { FakePolicyEnforcer } from './fake-policy-enforcer.js';
import { FakeJobAdmin, FakeSupervisionQueries } from './fake-read-models.js';
import { FakeEmailSender, InMemoryMessages } from './in-memory-notifier.js';
import { FakeDirectory, InMemoryOrganisation } from './in-memory-organisation.js';
import { FakePrintoutRenderer, FakePrintoutSigner, InMemoryPrintoutStore } from './in-memory-printouts.js';
import { InMemoryUnitOfWork } from './in-memory-unit-of-work.js';

/**
 * Every port of the hall, faked and wired together as the container wires the real adapters
 * (`ports()` in use-cases.container-module.ts), so `new XUseCase(hall)` builds a use case the way
 * production does. The pool-side ports read the committed state; the unit of work's scope its own
 * working copy. `seed` writes committed rows directly: what the test starts from.
 */
export class InMemoryHall {
  readonly db = new InMemoryDatabase();
  readonly clock = new FakeClock();
  readonly uow: InMemoryUnitOfWork;
  readonly enforcer = new FakePolicyEnforcer({ source: () => this.db.state.roleAssignments });
  readonly organisation = InMemoryOrganisation.onPool(this.db);
  readonly formValidator = new FakeFormValidator();
  readonly forms = new FakeFormSchemaChecker();
  readonly conditions = new FakeConditionEvaluator();
  /** Weekends only: the calendar's own rules are the domain's tests. */
  readonly calendar = new WorkingCalendar([]);
  readonly caseNumberPattern = '{year}-{unit}-{seq:6}';
  readonly evaluationChangeWindowDays = 7;
  readonly followUpWorkingDays = 15;
  readonly inbox = new InMemoryTaskInbox(this.db);
  readonly handlerLists = new InMemoryHandlerLists(this.db);
  readonly summaries = new InMemoryApplicationSummaries(this.db);
  readonly supervision = new FakeSupervisionQueries();
  readonly identity = new FakeIdentityProvider();
  readonly sessions = new InMemorySessionStore(this.db);
  readonly loginAttempts = new InMemoryLoginAttempts(this.db);
  readonly loginMaxFailures = 5;
  readonly sso = [new FakeSsoProvider('cas')];
  readonly portalOrigins = ['https://portal.campus.example'];
  readonly directory = new FakeDirectory();
  readonly calendarStore = new InMemoryCalendarStore();
  readonly attachments = new InMemoryAttachmentStore();
  readonly readTrail = new InMemoryReadTrail();
  readonly metrics = new RecordingMetrics();
  readonly inspector = new FakeAttachmentInspector();
  readonly attachmentMaxBytes = 1024;
  readonly attachmentMaxFiles = 3;
  /** The dormitory system is configured, as in the demo. */
  readonly connectors = new FakeBusinessConnectors({ 'dormitory-system': () => 'DORM-1' });
  readonly messages = new InMemoryMessages(this.db);
  readonly jobAdmin = new FakeJobAdmin();
  readonly emailSender = new FakeEmailSender();
  readonly publicUrl = 'https://hall.example.edu.cn';
  readonly printouts = new InMemoryPrintoutStore(this.db);
  readonly printoutSigner = new FakePrintoutSigner();
  readonly signer = async (): Promise<PrintoutSigner> => this.printoutSigner;
  readonly renderer = new FakePrintoutRenderer();
  readonly verifyUrl = (code: string) => `${this.publicUrl}/api/v1/verify/${code}`;

  constructor(o: { email?: boolean } = {}) {
    this.uow = new InMemoryUnitOfWork(this.db, { email: o.email ?? false });
  }

  readonly seed = {
    units: (...units: Unit[]) => {
      this.db.state.units.push(...structuredClone(units));
    },
    roles: (...roles: Role[]) => {
      this.db.state.roles.push(...structuredClone(roles));
    },
    people: (...people: Person[]) => {
      for (const p of people) this.db.state.people.set(p.id, structuredClone(p));
    },
    /** A role held (written and loaded, as if the enforcer had started after it was granted). */
    grant: (subject: string, role: string, unit: string) => {
      this.db.state.roleAssignments.push({ subject, role, unit });
      this.enforcer.reload();
    },
    absence: (a: Absence) => {
      this.db.state.absences.set(a.personId, structuredClone(a));
    },
    item: (item: ServiceItem) => {
      this.db.state.serviceItems.set(item.id, { ...item.snapshot(), lockVersion: 1 });
    },
    version: (version: ServiceVersion) => {
      this.db.state.serviceVersions.set(version.id, { ...version.snapshot(), lockVersion: 1 });
    },
    /** The application as stored after its last save: its fields and every history entry it recorded. */
    application: (a: Application) => {
      this.db.state.applications.set(a.id, {
        props: storedProps(a.current, 1),
        definition: structuredClone(a.process),
        history: structuredClone([...a.recorded]),
      });
    },
    evaluation: (e: Evaluation) => {
      this.db.state.evaluations.set(e.snapshot().applicationId, e.snapshot());
    },
    followUp: (f: FollowUp) => {
      this.db.state.followUps.set(f.id, f.snapshot());
    },
    attachment: (record: AttachmentRecord, content: Buffer) => {
      this.db.state.attachments.set(record.id, structuredClone(record));
      this.attachments.files.set(record.id, content);
    },
    /** A job a worker has just fetched (what it completes or fails with its work); a job already there is fetched again. */
    activeJob: (queue: string, id: string, data: Record<string, unknown> = {}) => {
      const there = this.db.state.jobs.find((j) => j.queue === queue && j.id === id);
      if (there)
        Object.assign(there, {
          state: 'active',
          retryCount: there.retryCount + (there.started ? 1 : 0),
          started: true,
        });
      else
        this.db.state.jobs.push({
          queue,
          id,
          data: structuredClone(data),
          state: 'active',
          startAfter: this.clock.now(),
          retryCount: 0,
          started: true,
          retryLimit: 10,
          error: null,
        });
    },
  };

  /** The committed jobs of a queue (pgboss.job), in the order they were enqueued. */
  jobs(queue: string): StoredJob[] {
    return this.db.state.jobs.filter((j) => j.queue === queue);
  }

  /** Committed audit entries and outbox events. */
  get audit() {
    return this.db.state.audit;
  }
  get outbox() {
    return this.db.state.outbox;
  }

  /** The stored application (its committed fields and history), to check what an action wrote. */
  stored(applicationId: string) {
    const s = this.db.state.applications.get(applicationId);
    if (!s) throw new Error(`no application ${applicationId} is stored`);
    return s;
  }
}
