import type { Clock } from '../../src/application/ports/clock.port.js';

/** A clock that stands still until the test moves it: no timers, no waiting. */
export class FakeClock implements Clock {
  private at: Date;

  constructor(at: Date | string = '2026-11-27T02:00:00.000Z') {
    this.at = new Date(at);
  }

  now(): Date {
    return new Date(this.at);
  }

  set(at: Date | string): void {
    this.at = new Date(at);
  }

  advance(by: { minutes?: number; hours?: number; days?: number }): Date {
    this.at = new Date(this.at.getTime() + ((by.days ?? 0) * 1440 + (by.hours ?? 0) * 60 + (by.minutes ?? 0)) * 60_000);
    return this.now();
  }
}
