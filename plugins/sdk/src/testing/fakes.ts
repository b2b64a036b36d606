import type { HostServices } from '../load.js';
import {
  createPluginHttp,
  type HealthReport,
  type HealthStatus,
  type LogFields,
  type PluginClock,
  type PluginHealth,
  type PluginHttp,
  type PluginLogger,
} from '../services.js';

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  /** The child's bindings merged with the line's own fields. */
  fields: LogFields;
}

export interface RecordingLogger extends PluginLogger {
  /** Every line written through this logger or any of its children, in order. */
  readonly lines: LogLine[];
}

/** A logger that keeps what it is told, children included. */
export function recordingLogger(bindings: LogFields = {}, lines: LogLine[] = []): RecordingLogger {
  const write =
    (level: LogLine['level']) =>
    (message: string, fields: LogFields = {}) => {
      lines.push({ level, message, fields: { ...bindings, ...fields } });
    };
  return {
    lines,
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (more) => recordingLogger({ ...bindings, ...more }, lines),
  };
}

export interface MovableClock extends PluginClock {
  /** Moves time forward; sleepers whose time has come wake up. */
  advance(ms: number): void;
  set(at: Date): void;
}

/** A clock that stands still until moved. `sleep` resolves when the clock is advanced past it. */
export function movableClock(start: Date = new Date('2026-09-01T08:00:00Z')): MovableClock {
  let now = start.getTime();
  const sleepers: Array<{ until: number; wake: () => void }> = [];
  const wakeDue = () => {
    for (const s of [...sleepers]) {
      if (s.until <= now) {
        sleepers.splice(sleepers.indexOf(s), 1);
        s.wake();
      }
    }
  };
  return {
    now: () => new Date(now),
    advance(ms) {
      now += ms;
      wakeDue();
    },
    set(at) {
      now = at.getTime();
      wakeDue();
    },
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const sleeper = { until: now + ms, wake: resolve };
        sleepers.push(sleeper);
        signal?.addEventListener(
          'abort',
          () => {
            const i = sleepers.indexOf(sleeper);
            if (i >= 0) sleepers.splice(i, 1);
            reject(signal.reason);
          },
          { once: true },
        );
        wakeDue();
      });
    },
  };
}

export interface HealthRecorder extends PluginHealth {
  readonly reports: HealthReport[];
  last(): HealthReport | undefined;
}

/** Keeps every health report. */
export function healthRecorder(clock: PluginClock = movableClock()): HealthRecorder {
  const reports: HealthReport[] = [];
  return {
    reports,
    last: () => reports.at(-1),
    report(status: HealthStatus, detail?: string) {
      reports.push({ status, at: clock.now(), ...(detail === undefined ? {} : { detail }) });
    },
  };
}

export interface RecordingHttp extends PluginHttp {
  /** Every request made, in order. */
  readonly requests: Array<{ method: string; url: string }>;
}

/** The real `http` service (real `fetch`, real timeouts), recording what it is asked; point it at a `startPeer`. */
export function recordingHttp(options: { defaultTimeoutMs?: number; fetch?: typeof fetch } = {}): RecordingHttp {
  const requests: Array<{ method: string; url: string }> = [];
  const inner = createPluginHttp({ defaultTimeoutMs: options.defaultTimeoutMs ?? 2_000, fetch: options.fetch });
  return {
    requests,
    defaultTimeoutMs: inner.defaultTimeoutMs,
    fetch(url, init) {
      requests.push({ method: init?.method ?? 'GET', url: String(url) });
      return inner.fetch(url, init);
    },
  };
}

export interface FakeHost extends HostServices {
  logger: RecordingLogger;
  clock: MovableClock;
  /** Every health report any plugin loaded with this host made. */
  health: Array<{ pluginId: string; report: HealthReport }>;
}

/** Host services for `loadPlugin` in tests: a recording logger, a movable clock, the real fetch. */
export function fakeHost(
  options: { httpTimeoutMs?: number; callTimeoutMs?: number; fetch?: typeof fetch } = {},
): FakeHost {
  const health: FakeHost['health'] = [];
  return {
    logger: recordingLogger(),
    clock: movableClock(),
    health,
    onHealth: (pluginId, report) => health.push({ pluginId, report }),
    httpTimeoutMs: options.httpTimeoutMs ?? 2_000,
    callTimeoutMs: options.callTimeoutMs ?? 5_000,
    ...(options.fetch && { fetch: options.fetch }),
  };
}
