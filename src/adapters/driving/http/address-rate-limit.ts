/**
 * A fixed-window limit per client address, for routes anyone may call without signing in (the
 * printout verification a self-service terminal uses). Per instance, in memory: behind a load
 * balancer the limit is per instance. The address is `req.ip`, which trusts X-Forwarded-For only
 * from TRUSTED_PROXIES, so a forged header gives no fresh allowance.
 */
export class AddressRateLimit {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly perWindow: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
    /** Addresses remembered at most; past it, the windows that ended are forgotten. */
    private readonly maxTracked = 50_000,
  ) {}

  /** Counts one call from `address`: null when allowed, else the seconds until the window ends. */
  take(address: string): number | null {
    const t = this.now();
    let w = this.windows.get(address);
    if (!w || t - w.start >= this.windowMs) {
      if (!w && this.windows.size >= this.maxTracked) this.forgetEnded(t);
      w = { start: t, count: 0 };
      this.windows.set(address, w);
    }
    if (w.count >= this.perWindow) return Math.max(1, Math.ceil((w.start + this.windowMs - t) / 1000));
    w.count++;
    return null;
  }

  private forgetEnded(t: number): void {
    for (const [address, w] of this.windows) if (t - w.start >= this.windowMs) this.windows.delete(address);
  }
}
