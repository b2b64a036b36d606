import type { Metrics } from '../../src/application/ports/metrics.port.js';

/** The metrics the use cases report, kept in order, for tests to read. */
export class RecordingMetrics implements Pick<Metrics, 'signedIn' | 'taskDecided'> {
  readonly signIns: Array<{ method: string; outcome: string }> = [];
  readonly tasksDecided: Array<{ unit: string; seconds: number }> = [];

  signedIn(o: { method: string; outcome: 'success' | 'failure' | 'locked' }): void {
    this.signIns.push(o);
  }

  taskDecided(o: { unit: string; seconds: number }): void {
    this.tasksDecided.push(o);
  }
}
