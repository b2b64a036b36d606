/**
 * A small, safe subset of JUEL (the expression language of Camunda 7 conditions) translated to JSON
 * Logic: `${amount > 1000}`, `${form.amount >= 10 && applicant.type == 'student'}`. Only comparisons,
 * `&&`/`||`/`!` (and `and`/`or`/`not`, `eq`/`ne`/`lt`/`le`/`gt`/`ge`), parentheses, number, string,
 * boolean and null literals and dotted names: a bare name means `form.<name>`, `form.x` and
 * `applicant.x` are taken as written. Anything else (method calls, indexing, arithmetic, `empty`,
 * functions) is refused by name: nothing is ever evaluated.
 */
export type JuelResult = { ok: true; logic: Record<string, unknown> } | { ok: false; message: string };

type Token =
  { t: 'num'; v: number } | { t: 'str'; v: string } | { t: 'name'; v: string } | { t: 'op'; v: string } | { t: 'end' };

const OPS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '(', ')'];
const WORD_OPS: Record<string, string> = {
  and: '&&',
  or: '||',
  not: '!',
  eq: '==',
  ne: '!=',
  lt: '<',
  le: '<=',
  gt: '>',
  ge: '>=',
};
const COMPARE: Record<string, string> = { '==': '==', '!=': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
const MAX_LENGTH = 1000;
const MAX_DEPTH = 32;

class Refused extends Error {}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = /^\d+(\.\d+)?/.exec(src.slice(i));
    if (num) {
      tokens.push({ t: 'num', v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let text = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) j++;
        text += src[j];
        j++;
      }
      if (j >= src.length) throw new Refused('an unterminated string');
      tokens.push({ t: 'str', v: text });
      i = j + 1;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(src.slice(i));
    if (name) {
      const word = name[0];
      if (WORD_OPS[word]) tokens.push({ t: 'op', v: WORD_OPS[word] });
      else tokens.push({ t: 'name', v: word });
      i += word.length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new Refused(`'${c}' (only comparisons, &&, ||, ! and parentheses over names and literals)`);
    tokens.push({ t: 'op', v: op });
    i += op.length;
  }
  tokens.push({ t: 'end' });
  return tokens;
}

export function juelToJsonLogic(expression: string): JuelResult {
  const m = /^\s*[$#]\{([\s\S]*)\}\s*$/.exec(expression);
  if (!m) return { ok: false, message: 'is not a JUEL expression ${...} nor JSON Logic' };
  if (expression.length > MAX_LENGTH) return { ok: false, message: `is longer than ${MAX_LENGTH} characters` };
  try {
    const tokens = tokenize(m[1]!);
    let pos = 0;
    const peek = (): Token => tokens[pos]!;
    const isOp = (v: string): boolean => {
      const t = peek();
      return t.t === 'op' && t.v === v;
    };
    const describe = (t: Token): string => (t.t === 'end' ? 'the end' : `'${String(t.v)}'`);
    const orExpr = (depth: number): unknown => {
      if (depth > MAX_DEPTH) throw new Refused('nesting too deep');
      const parts = [andExpr(depth)];
      while (isOp('||')) {
        pos++;
        parts.push(andExpr(depth));
      }
      return parts.length === 1 ? parts[0] : { or: parts };
    };
    const andExpr = (depth: number): unknown => {
      const parts = [notExpr(depth)];
      while (isOp('&&')) {
        pos++;
        parts.push(notExpr(depth));
      }
      return parts.length === 1 ? parts[0] : { and: parts };
    };
    const notExpr = (depth: number): unknown => {
      if (isOp('!')) {
        pos++;
        if (depth > MAX_DEPTH) throw new Refused('nesting too deep');
        return { '!': notExpr(depth + 1) };
      }
      return comparison(depth);
    };
    const comparison = (depth: number): unknown => {
      const left = primary(depth);
      const t = peek();
      if (t.t === 'op' && COMPARE[t.v]) {
        pos++;
        return { [COMPARE[t.v]!]: [left, primary(depth)] };
      }
      return left;
    };
    const primary = (depth: number): unknown => {
      const t = peek();
      pos++;
      if (t.t === 'num' || t.t === 'str') return t.v;
      if (t.t === 'op' && t.v === '(') {
        const inner = orExpr(depth + 1);
        if (!isOp(')')) throw new Refused(`${describe(peek())} where ')' was expected`);
        pos++;
        return inner;
      }
      if (t.t === 'name') {
        if (t.v === 'true') return true;
        if (t.v === 'false') return false;
        if (t.v === 'null') return null;
        if (['empty', 'div', 'mod', 'instanceof'].includes(t.v)) throw new Refused(`'${t.v}'`);
        if (isOp('(')) throw new Refused(`the call of '${t.v}'`);
        const name = t.v.startsWith('form.') || t.v.startsWith('applicant.') ? t.v : `form.${t.v}`;
        if (name.split('.').length > 2)
          throw new Refused(`the name '${t.v}' (use form.<field> or applicant.<attribute>)`);
        return { var: name };
      }
      throw new Refused(describe(t));
    };
    const logic = orExpr(0);
    if (peek().t !== 'end') throw new Refused(describe(peek()));
    // a bare name or literal is not an operation: test its truth
    const op = typeof logic === 'object' && logic !== null && !('var' in logic) ? logic : { '!!': logic };
    return { ok: true, logic: op as Record<string, unknown> };
  } catch (e) {
    if (e instanceof Refused) return { ok: false, message: `JUEL beyond the supported subset: ${e.message}` };
    throw e;
  }
}
