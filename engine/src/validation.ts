/**
 * Validation in one pass: the step's output is computed once into a working table with a bit
 * mask of failed rules per row; valid and invalid rows are views over it. A rule that is NULL
 * counts as failed, so every row is either valid or invalid.
 */
import type { DataFrame } from './dataframe.js';
import { closestName, errorMessage, StepwiseError } from './errors.js';
import { SHORTHANDS, type CompiledRule } from './rules.js';
import type { Session } from './session.js';
import type { CompiledSQL } from './sqlTemplate.js';
import { quoteIdent, quoteString } from './sqlText.js';

/** Name of the column that lists the rules an invalid row failed. */
export const FAILED_RULES_COLUMN = '_failed_rules';
const MASK = '__stepwise_failed_mask';
const MAX_RULES = 127;

/** The split of a step's output into valid and invalid rows. */
export interface ValidationOutcome {
  /** Valid rows, without the mask column. */
  valid: DataFrame;
  /** Invalid rows with a `_failed_rules` list of rule names. */
  invalid: DataFrame;
  /** Query for the valid rows, for writing. */
  validSQL: string;
  /** Query for the invalid rows, for writing. */
  invalidSQL: string;
  outputRows: number;
  validRows: number;
  invalidRows: number;
  /** Percentage of valid rows; 100 when there are no rows. */
  validationRate: number;
  ruleFailures: Record<string, number>;
}

/** Computes `output` once and splits it by `rules`; `prune` keeps only ruled columns. */
export async function validateOutput(
  session: Session,
  step: string,
  output: CompiledSQL,
  rules: readonly CompiledRule[],
  prune: boolean,
): Promise<ValidationOutcome> {
  if (rules.length > MAX_RULES) {
    throw new StepwiseError(
      'invalid_rule',
      `Step '${step}' has ${rules.length} rules; at most ${MAX_RULES} are supported. Combine ` +
        'some of them into one SQL rule.',
      { step, field: 'rules' },
    );
  }
  const checked = session.newWorkTable(`${step}_checked`);
  const columns = await describe(session, output);
  checkRuleColumns(step, rules, columns);
  await checkRuleSQL(session, step, output, rules, columns);

  const bitType = rules.length > 62 ? 'HUGEINT' : 'BIGINT';
  const bit = (i: number): string => `CAST(${(1n << BigInt(i)).toString()} AS ${bitType})`;
  const mask =
    rules.length === 0
      ? `CAST(0 AS ${bitType})`
      : rules
          .map(
            (r, i) =>
              `(CASE WHEN coalesce((${r.sql}), FALSE) THEN CAST(0 AS ${bitType}) ELSE ${bit(i)} END)`,
          )
          .join(' | ');
  await session.run(
    `CREATE TABLE ${checked} AS SELECT *, ${mask} AS ${MASK} FROM (${output.text})`,
    output.params,
  );

  const counts = await session.query(
    `SELECT count(*), count(*) FILTER (WHERE ${MASK} <> 0)${rules
      .map((_, i) => `, count(*) FILTER (WHERE (${MASK} & ${bit(i)}) <> 0)`)
      .join('')} FROM ${checked}`,
  );
  const row = counts.getRows()[0]!.map((v) => Number(v as bigint));
  const [outputRows, invalidRows] = [row[0]!, row[1]!];
  const validRows = outputRows - invalidRows;
  const ruleFailures = Object.fromEntries(rules.map((r, i) => [r.name, row[i + 2]!]));

  const kept = prune && rules.length > 0 ? pruned(rules, columns) : undefined;
  const select = kept ? kept.map(quoteIdent).join(', ') : `* EXCLUDE (${MASK})`;
  const failed =
    rules.length === 0
      ? `CAST([] AS VARCHAR[])`
      : `list_filter([${rules
          .map((r, i) => `CASE WHEN (${MASK} & ${bit(i)}) <> 0 THEN ${quoteString(r.name)} END`)
          .join(', ')}], x -> x IS NOT NULL)`;
  const validSQL = `SELECT ${select} FROM ${checked} WHERE ${MASK} = 0`;
  const invalidSQL =
    `SELECT ${select}, ${failed} AS ${quoteIdent(FAILED_RULES_COLUMN)} ` +
    `FROM ${checked} WHERE ${MASK} <> 0`;
  return {
    valid: await session.viewFrame(validSQL, `${step}_valid`, validRows),
    invalid: await session.viewFrame(invalidSQL, `${step}_invalid`, invalidRows),
    validSQL,
    invalidSQL,
    outputRows,
    validRows,
    invalidRows,
    validationRate: outputRows === 0 ? 100 : (validRows / outputRows) * 100,
    ruleFailures,
  };
}

async function describe(session: Session, output: CompiledSQL): Promise<string[]> {
  const reader = await session.query(`DESCRIBE ${output.text}`, output.params);
  return reader.getRows().map((r) => String(r[0]));
}

function checkRuleColumns(step: string, rules: readonly CompiledRule[], columns: string[]): void {
  for (const rule of rules) {
    if (!columns.includes(rule.column)) {
      throw new StepwiseError(
        'invalid_rule',
        `rule '${rule.name}' is on column '${rule.column}', which the step's ` +
          `output does not have (it has ${columns.map((c) => `'${c}'`).join(', ')}). Fix the ` +
          'column name in rules or add the column in the transform.',
        { step, field: `rules.${rule.column}` },
      );
    }
  }
}

/** Binds every rule against the output first, so a bad rule is named instead of internal SQL. */
async function checkRuleSQL(
  session: Session,
  step: string,
  output: CompiledSQL,
  rules: readonly CompiledRule[],
  columns: string[],
): Promise<void> {
  const bind = (list: readonly CompiledRule[]): Promise<unknown> =>
    session.query(
      `DESCRIBE SELECT ${list.map((r) => `(${r.sql})`).join(', ')} FROM (${output.text})`,
      output.params,
    );
  if (
    rules.length === 0 ||
    (await bind(rules).then(
      () => true,
      () => false,
    ))
  ) {
    return;
  }
  for (const rule of rules) {
    const problem = await bind([rule]).then(
      () => undefined,
      (error: unknown) => errorMessage(error).split('\n')[0],
    );
    if (problem !== undefined) {
      const word = rule.name.slice(rule.column.length + 1);
      const guess = /^[a-z_]+$/.test(word) ? closestName(word, Object.keys(SHORTHANDS)) : undefined;
      const hint = guess ? ` Did you mean the shorthand '${guess}'?` : '';
      throw new StepwiseError(
        'invalid_rule',
        `rule '${rule.name}' is not valid SQL over the step's output: ${problem.replace(/[!.]$/, '')}.` +
          `${hint} The output has columns ${columns.map((c) => `'${c}'`).join(', ')}.`,
        { step, field: `rules.${rule.column}` },
      );
    }
  }
}

function pruned(rules: readonly CompiledRule[], columns: string[]): string[] {
  const ruled = new Set(rules.map((r) => r.column));
  return columns.filter((c) => ruled.has(c));
}
