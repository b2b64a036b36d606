/** The version of this SDK. A plugin names the range it was built for; the host refuses a plugin outside it. */
export const SDK_VERSION = '1.1.0';

type Version = readonly [number, number, number];
type Comparator = { op: '>=' | '>' | '<=' | '<' | '='; version: Version };

const VERSION = /^v?(\d+)\.(\d+)\.(\d+)$/;

function parseVersion(text: string): Version | null {
  const m = VERSION.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

function comparators(part: string): Comparator[] | null {
  const out: Comparator[] = [];
  for (const token of part.trim().split(/\s+/)) {
    if (token === '') continue;
    const m = /^(\^|~|>=|>|<=|<|=)?(.*)$/.exec(token)!;
    const v = parseVersion(m[2]!);
    if (!v) return null;
    const [major, minor, patch] = v;
    switch (m[1]) {
      case '^': {
        const upper: Version = major > 0 ? [major + 1, 0, 0] : minor > 0 ? [0, minor + 1, 0] : [0, 0, patch + 1];
        out.push({ op: '>=', version: v }, { op: '<', version: upper });
        break;
      }
      case '~':
        out.push({ op: '>=', version: v }, { op: '<', version: [major, minor + 1, 0] });
        break;
      case undefined:
        out.push({ op: '=', version: v });
        break;
      default:
        out.push({ op: m[1] as Comparator['op'], version: v });
    }
  }
  return out.length > 0 ? out : null;
}

function holds(c: Comparator, v: Version): boolean {
  const d = compare(v, c.version);
  switch (c.op) {
    case '>=':
      return d >= 0;
    case '>':
      return d > 0;
    case '<=':
      return d <= 0;
    case '<':
      return d < 0;
    case '=':
      return d === 0;
  }
}

/** Whether `range` is one the SDK understands: `1.2.3`, `^1.2.3`, `~1.2.3`, `>=1.2.3 <2.0.0`, joined by `||`. */
export function isValidRange(range: string): boolean {
  return range.split('||').every((part) => comparators(part) !== null);
}

/**
 * Whether `version` satisfies `range`: a small subset of semver ranges (no pre-releases, no `x`
 * wildcards): exact `1.2.3`, `^1.2.3`, `~1.2.3`, `>=`, `>`, `<=`, `<`, several comparators
 * separated by spaces (all must hold), alternatives separated by `||`.
 */
export function satisfies(version: string, range: string): boolean {
  const v = parseVersion(version);
  if (!v) return false;
  return range.split('||').some((part) => {
    const cs = comparators(part);
    return cs !== null && cs.every((c) => holds(c, v));
  });
}
