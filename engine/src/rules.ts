/**
 * Data-quality rules: every accepted form (Column, SQL string, shorthand, tuple) is compiled at
 * step construction into a named SQL predicate, so a bad rule fails early and names its step.
 */
import { Column } from './column.js';
import { StepwiseError } from './errors.js';
import { quoteIdent, sqlLiteral, type LiteralValue } from './sqlText.js';

/** A one-word rule. */
export type RuleShorthand = 'not_null' | 'positive' | 'non_negative' | 'non_zero' | 'not_empty';

/** A comparison tuple such as `['gt', 0]`, `['between', 1, 9]` or `['in', ['a', 'b']]`. */
export type RuleTuple =
  | readonly ['gt' | 'gte' | 'ge' | 'lt' | 'lte' | 'le' | 'eq' | 'ne', LiteralValue]
  | readonly ['between' | 'not_between', LiteralValue, LiteralValue]
  | readonly ['in' | 'not_in', readonly LiteralValue[]]
  | readonly ['like' | 'not_like' | 'regex', string]
  | readonly ['min_length' | 'max_length', number];

/** A rule with a name chosen by the user. */
export interface NamedRule {
  name: string;
  rule: Column | string | RuleTuple;
}

/** One rule in any accepted form: a shorthand (`RuleShorthand`) or any other SQL predicate string. */
export type Rule = Column | string | RuleTuple | NamedRule;

/** Rules per column: a list of rules, or a single tuple written flat (`['gt', 0]`). */
export type Rules = Record<string, readonly Rule[] | RuleTuple>;

/** A rule compiled to SQL, with the stable name used in reports and invalid-row tables. */
export interface CompiledRule {
  name: string;
  column: string;
  sql: string;
}

/** The one-word rules and the SQL each stands for. */
export const SHORTHANDS: Record<RuleShorthand, (c: string) => string> = {
  not_null: (c) => `${c} IS NOT NULL`,
  positive: (c) => `${c} > 0`,
  non_negative: (c) => `${c} >= 0`,
  non_zero: (c) => `${c} <> 0`,
  not_empty: (c) => `length(${c}) > 0`,
};

const COMPARISONS: Record<string, string> = {
  gt: '>',
  gte: '>=',
  ge: '>=',
  lt: '<',
  lte: '<=',
  le: '<=',
  eq: '=',
  ne: '<>',
};

/** Operators that make a list a tuple rule (`['gt', 0]`). */
export const TUPLE_OPS: ReadonlySet<string> = new Set([
  ...Object.keys(COMPARISONS),
  'between',
  'not_between',
  'in',
  'not_in',
  'like',
  'not_like',
  'regex',
  'min_length',
  'max_length',
]);

/** Compiles a step's rules; throws `invalid_rule` naming the step, column and rule. */
export function compileRules(step: string, rules: Rules | undefined): CompiledRule[] {
  if (rules === undefined) {
    return [];
  }
  if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) {
    throw new StepwiseError(
      'invalid_step',
      `Step '${step}': 'rules' must be an object mapping column names to lists of rules, ` +
        `for example { id: ['not_null'] }.`,
      { step, field: 'rules' },
    );
  }
  const compiled: CompiledRule[] = [];
  for (const [column, list] of Object.entries(rules)) {
    for (const rule of rulesOf(step, column, list)) {
      compiled.push(compileRule(step, column, rule));
    }
  }
  const seen = new Map<string, number>();
  for (const rule of compiled) {
    const count = (seen.get(rule.name) ?? 0) + 1;
    seen.set(rule.name, count);
    if (count > 1) {
      rule.name = `${rule.name}#${count}`;
    }
  }
  return compiled;
}

function rulesOf(step: string, column: string, list: unknown): Rule[] {
  if (!Array.isArray(list)) {
    if (list instanceof Column || typeof list === 'string') {
      return [list];
    }
    throw ruleError(step, column, list, 'a column maps to a list of rules');
  }
  if (typeof list[0] === 'string' && TUPLE_OPS.has(list[0])) {
    return [list as unknown as RuleTuple];
  }
  return list as Rule[];
}

function compileRule(step: string, column: string, rule: unknown): CompiledRule {
  const ref = quoteIdent(column);
  if (isNamedRule(rule)) {
    const inner = compileRule(step, column, rule.rule);
    return { ...inner, name: `${column}:${rule.name}` };
  }
  if (rule instanceof Column) {
    return { column, sql: rule.sql, name: `${column}:${readableSQL(rule.sql)}` };
  }
  if (typeof rule === 'string') {
    if (rule in SHORTHANDS) {
      return { column, sql: SHORTHANDS[rule as RuleShorthand](ref), name: `${column}:${rule}` };
    }
    if (rule.trim() === '') {
      throw ruleError(step, column, rule, 'an empty string is not a rule');
    }
    return { column, sql: `(${rule})`, name: `${column}:${readableSQL(rule)}` };
  }
  if (Array.isArray(rule)) {
    const bareOperator = typeof rule[0] === 'string' && TUPLE_OPS.has(rule[0]);
    if (rule.length === 1 && !bareOperator) {
      return compileRule(step, column, rule[0]);
    }
    return compileTuple(step, column, ref, rule);
  }
  throw ruleError(step, column, rule, 'unsupported rule form');
}

function compileTuple(step: string, column: string, ref: string, t: unknown[]): CompiledRule {
  const [op, a, b] = t;
  const name = (suffix: string): string => `${column}:${suffix}`;
  if (typeof op !== 'string' || !TUPLE_OPS.has(op)) {
    throw ruleError(step, column, t, `unknown operator ${JSON.stringify(op)}`);
  }
  if (op in COMPARISONS) {
    expectArity(step, column, t, 2);
    const v = literal(step, column, t, a);
    return { column, sql: `${ref} ${COMPARISONS[op]} ${v}`, name: name(`${op}_${plain(a)}`) };
  }
  switch (op) {
    case 'between':
    case 'not_between': {
      expectArity(step, column, t, 3);
      const lo = literal(step, column, t, a);
      const hi = literal(step, column, t, b);
      const not = op === 'not_between' ? 'NOT ' : '';
      return {
        column,
        sql: `${ref} ${not}BETWEEN ${lo} AND ${hi}`,
        name: name(`${op}_${plain(a)}_${plain(b)}`),
      };
    }
    case 'in':
    case 'not_in': {
      expectArity(step, column, t, 2);
      if (!Array.isArray(a) || a.length === 0) {
        throw ruleError(step, column, t, `'${op}' needs a non-empty list of values`);
      }
      const values = a.map((v) => literal(step, column, t, v)).join(', ');
      const not = op === 'not_in' ? 'NOT ' : '';
      return {
        column,
        sql: `${ref} ${not}IN (${values})`,
        name: name(`${op}(${a.map(plain).join(',')})`),
      };
    }
    case 'like':
    case 'not_like':
    case 'regex': {
      expectArity(step, column, t, 2);
      if (typeof a !== 'string') {
        throw ruleError(step, column, t, `'${op}' needs a string pattern`);
      }
      const sql =
        op === 'regex'
          ? `regexp_matches(${ref}, ${sqlLiteral(a)})`
          : `${ref} ${op === 'like' ? '' : 'NOT '}LIKE ${sqlLiteral(a)}`;
      return { column, sql, name: name(`${op}(${a})`) };
    }
    default: {
      expectArity(step, column, t, 2);
      if (typeof a !== 'number' || !Number.isInteger(a) || a < 0) {
        throw ruleError(step, column, t, `'${op}' needs a non-negative whole number`);
      }
      const cmp = op === 'min_length' ? '>=' : '<=';
      return { column, sql: `length(${ref}) ${cmp} ${a}`, name: name(`${op}_${a}`) };
    }
  }
}

function isNamedRule(rule: unknown): rule is NamedRule {
  return (
    typeof rule === 'object' &&
    rule !== null &&
    !Array.isArray(rule) &&
    !(rule instanceof Column) &&
    typeof (rule as NamedRule).name === 'string' &&
    'rule' in rule
  );
}

function expectArity(step: string, column: string, t: unknown[], n: number): void {
  if (t.length !== n) {
    throw ruleError(
      step,
      column,
      t,
      `'${String(t[0])}' takes ${n - 1} value(s), got ${t.length - 1}`,
    );
  }
}

function literal(step: string, column: string, t: unknown, v: unknown): string {
  const ok =
    v === null || v instanceof Date || ['string', 'number', 'bigint', 'boolean'].includes(typeof v);
  if (!ok) {
    throw ruleError(step, column, t, `${safeJson(v)} is not a literal value`);
  }
  return sqlLiteral(v as LiteralValue);
}

function plain(v: unknown): string {
  return v instanceof Date ? v.toISOString() : safeJson(v).replace(/^"(.*)"$/, '$1');
}

/** SQL text made short for a rule name: quotes and outer parentheses dropped, spaces squeezed. */
function readableSQL(sql: string): string {
  let text = sql.replace(/\s+/g, ' ').trim();
  while (text.startsWith('(') && text.endsWith(')') && balanced(text.slice(1, -1))) {
    text = text.slice(1, -1).trim();
  }
  return text.replace(/"((?:[^"]|"")*)"/g, (_, n: string) => n.replaceAll('""', '"'));
}

function balanced(text: string): boolean {
  let depth = 0;
  for (const ch of text) {
    depth += ch === '(' ? 1 : ch === ')' ? -1 : 0;
    if (depth < 0) {
      return false;
    }
  }
  return depth === 0;
}

function ruleError(step: string, column: string, rule: unknown, why: string): StepwiseError {
  const shown = rule instanceof Column ? rule.sql : safeJson(rule);
  return new StepwiseError(
    'invalid_rule',
    `Step '${step}', rules for column '${column}': ${why} (got ${shown}). Use a Column ` +
      `expression, a SQL string, a shorthand (${Object.keys(SHORTHANDS).join(', ')}) or a ` +
      `tuple such as ['gt', 0], ['between', 1, 9] or ['in', ['a', 'b']].`,
    { step, field: `rules.${column}` },
  );
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? x.toString() : x)) ?? String(v);
  } catch {
    return String(v);
  }
}
