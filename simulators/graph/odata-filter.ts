import { graphErrors } from './graph-errors.js';
import { canonicalProperty } from './user-view.js';

/**
 * A small OData `$filter` for users: `eq ne ge le in`, `startsWith`/`endsWith`, `not`, `and`, `or`,
 * parentheses, and `any` lambdas over the string collections (proxyAddresses…). String comparisons
 * ignore case, as the directory does. Parsing also reports whether the expression is an
 * "advanced query" (`ne`, `not`, `endsWith`), which Graph only accepts with ConsistencyLevel.
 */
export type UserPredicate = (user: Record<string, unknown>) => boolean;

export interface ParsedFilter {
  predicate: UserPredicate;
  /** The first operator that needs `ConsistencyLevel: eventual` + `$count=true`, if any. */
  advancedOperator: string | null;
}

const SCALARS = new Set([
  'id', 'displayName', 'givenName', 'surname', 'mail', 'userPrincipalName', 'userType', 'accountEnabled', 'mailNickname',
  'createdDateTime', 'companyName', 'usageLocation', 'employeeId', 'department', 'jobTitle', 'creationType',
  'externalUserState', 'preferredLanguage', 'city', 'country', 'state', 'onPremisesSyncEnabled',
]);
const COLLECTIONS = new Set(['proxyAddresses', 'otherMails', 'imAddresses', 'businessPhones']);

type Literal = string | number | boolean | null;
type Token = { kind: 'punct'; value: string } | { kind: 'word'; value: string } | { kind: 'literal'; value: Literal };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if ('(),:/'.includes(c)) {
      tokens.push({ kind: 'punct', value: c });
      i++;
    } else if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= input.length) throw graphErrors.invalidFilter('unterminated string literal.');
        if (input[i] === "'") {
          if (input[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += input[i];
        i++;
      }
      tokens.push({ kind: 'literal', value });
    } else {
      const m = /^[A-Za-z0-9_.+-]+/.exec(input.slice(i));
      if (!m) throw graphErrors.invalidFilter(`syntax error at position ${i}.`);
      const word = m[0];
      i += word.length;
      const lower = word.toLowerCase();
      if (lower === 'true' || lower === 'false') tokens.push({ kind: 'literal', value: lower === 'true' });
      else if (lower === 'null') tokens.push({ kind: 'literal', value: null });
      else if (/^-?\d+(\.\d+)?$/.test(word)) tokens.push({ kind: 'literal', value: Number(word) });
      else tokens.push({ kind: 'word', value: word });
    }
  }
  return tokens;
}

const norm = (v: unknown): unknown => (typeof v === 'string' ? v.toLowerCase() : v);

function compare(op: string, actual: unknown, expected: Literal): boolean {
  const a = norm(actual ?? null);
  const e = norm(expected);
  switch (op) {
    case 'eq':
      return a === e;
    case 'ne':
      return a !== e;
    case 'ge':
      return a !== null && e !== null && (a as string | number) >= (e as string | number);
    case 'le':
      return a !== null && e !== null && (a as string | number) <= (e as string | number);
    default:
      throw graphErrors.invalidFilter(`unknown operator '${op}'.`);
  }
}

class Parser {
  private pos = 0;
  advancedOperator: string | null = null;

  constructor(private readonly tokens: Token[]) {}

  parse(): UserPredicate {
    const predicate = this.or();
    if (this.pos < this.tokens.length) throw graphErrors.invalidFilter('unexpected text after the expression.');
    return predicate;
  }

  private peekWord(): string | undefined {
    const t = this.tokens[this.pos];
    return t?.kind === 'word' ? t.value.toLowerCase() : undefined;
  }

  private expectPunct(value: string): void {
    const t = this.tokens[this.pos];
    if (t?.kind !== 'punct' || t.value !== value) throw graphErrors.invalidFilter(`expected '${value}'.`);
    this.pos++;
  }

  private isPunct(value: string): boolean {
    const t = this.tokens[this.pos];
    return t?.kind === 'punct' && t.value === value;
  }

  private literal(): Literal {
    const t = this.tokens[this.pos];
    if (t?.kind !== 'literal') throw graphErrors.invalidFilter('expected a literal value.');
    this.pos++;
    return t.value;
  }

  private word(): string {
    const t = this.tokens[this.pos];
    if (t?.kind !== 'word') throw graphErrors.invalidFilter('expected a property name.');
    this.pos++;
    return t.value;
  }

  private advanced(op: string): void {
    this.advancedOperator ??= op;
  }

  private or(): UserPredicate {
    let left = this.and();
    while (this.peekWord() === 'or') {
      this.pos++;
      const l = left;
      const r = this.and();
      left = (u) => l(u) || r(u);
    }
    return left;
  }

  private and(): UserPredicate {
    let left = this.unary();
    while (this.peekWord() === 'and') {
      this.pos++;
      const l = left;
      const r = this.unary();
      left = (u) => l(u) && r(u);
    }
    return left;
  }

  private unary(): UserPredicate {
    if (this.peekWord() === 'not') {
      this.pos++;
      this.advanced('not');
      const inner = this.unary();
      return (u) => !inner(u);
    }
    return this.primary();
  }

  private property(name: string, collection: boolean): string {
    const canonical = canonicalProperty(name);
    const ok = canonical && (collection ? COLLECTIONS.has(canonical) : SCALARS.has(canonical));
    if (!canonical || !ok) {
      throw graphErrors.unsupportedQuery(`Unsupported or invalid query filter clause specified for property '${name}' of resource 'User'.`);
    }
    return canonical;
  }

  /** startsWith(x,'v') / endsWith(x,'v') where x is a property or a lambda variable. */
  private stringFunction(fn: 'startswith' | 'endswith', resolve: (operand: string) => (u: Record<string, unknown>) => unknown): UserPredicate {
    if (fn === 'endswith') this.advanced('endsWith');
    this.expectPunct('(');
    const get = resolve(this.word());
    this.expectPunct(',');
    const value = this.literal();
    this.expectPunct(')');
    if (typeof value !== 'string') throw graphErrors.invalidFilter(`${fn} needs a string.`);
    const needle = value.toLowerCase();
    return (u) => {
      const v = get(u);
      if (typeof v !== 'string') return false;
      return fn === 'startswith' ? v.toLowerCase().startsWith(needle) : v.toLowerCase().endsWith(needle);
    };
  }

  private primary(): UserPredicate {
    if (this.isPunct('(')) {
      this.pos++;
      const inner = this.or();
      this.expectPunct(')');
      return inner;
    }
    const name = this.word();
    const lower = name.toLowerCase();
    if ((lower === 'startswith' || lower === 'endswith') && this.isPunct('(')) {
      return this.stringFunction(lower, (operand) => {
        const prop = this.property(operand, false);
        return (u) => u[prop];
      });
    }
    if (this.isPunct('/')) return this.lambda(name);
    const prop = this.property(name, false);
    const op = this.word().toLowerCase();
    if (op === 'in') {
      this.expectPunct('(');
      const values: Literal[] = [this.literal()];
      while (this.isPunct(',')) {
        this.pos++;
        values.push(this.literal());
      }
      this.expectPunct(')');
      const wanted = new Set(values.map(norm));
      return (u) => wanted.has(norm(u[prop] ?? null));
    }
    if (!['eq', 'ne', 'ge', 'le'].includes(op)) throw graphErrors.unsupportedQuery(`Operator '${op}' is not supported.`);
    if (op === 'ne') this.advanced('ne');
    const value = this.literal();
    return (u) => compare(op, u[prop], value);
  }

  /** `proxyAddresses/any(p:p eq 'smtp:x')`, `…/any(p:startsWith(p,'smtp:'))`, `…/any(p:endsWith(p,'x'))`. */
  private lambda(collectionName: string): UserPredicate {
    const prop = this.property(collectionName, true);
    this.expectPunct('/');
    if (this.word().toLowerCase() !== 'any') throw graphErrors.unsupportedQuery('Only any() lambdas are supported.');
    this.expectPunct('(');
    const variable = this.word();
    this.expectPunct(':');
    let test: (item: string) => boolean;
    const first = this.word();
    const firstLower = first.toLowerCase();
    if ((firstLower === 'startswith' || firstLower === 'endswith') && this.isPunct('(')) {
      let current = '';
      const fn = this.stringFunction(firstLower, (operand) => {
        if (operand !== variable) throw graphErrors.invalidFilter(`unknown range variable '${operand}'.`);
        return () => current;
      });
      test = (item) => {
        current = item;
        return fn({});
      };
    } else {
      if (first !== variable) throw graphErrors.invalidFilter(`unknown range variable '${first}'.`);
      const op = this.word().toLowerCase();
      if (op !== 'eq' && op !== 'ne') throw graphErrors.unsupportedQuery(`Operator '${op}' is not supported inside any().`);
      if (op === 'ne') this.advanced('ne');
      const value = this.literal();
      test = (item) => compare(op, item, value);
    }
    this.expectPunct(')');
    return (u) => {
      const items = u[prop];
      return Array.isArray(items) && items.some((item) => typeof item === 'string' && test(item));
    };
  }
}

export function parseUserFilter(expression: string): ParsedFilter {
  const parser = new Parser(tokenize(expression));
  const predicate = parser.parse();
  return { predicate, advancedOperator: parser.advancedOperator };
}
