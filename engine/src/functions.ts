/**
 * `F`: the column functions a transform or rule uses, named as in Spark's `functions` module and
 * compiled to DuckDB SQL.
 */
import { asColumn, Column, colRef, toSQL, type ColumnLike } from './column.js';
import { sqlLiteral, type LiteralValue } from './sqlText.js';

type ColumnArg = string | Column;

function call(fn: string, ...args: ColumnArg[]): Column {
  return new Column(`${fn}(${args.map((a) => asColumn(a).sql).join(', ')})`);
}

/** A CASE expression under construction: add `when` branches, finish with `otherwise`. */
export class CaseColumn extends Column {
  constructor(
    private readonly branches: readonly [string, string][],
    elseSQL = 'NULL',
  ) {
    super(
      `(CASE ${branches.map(([c, v]) => `WHEN ${c} THEN ${v}`).join(' ')} ELSE ${elseSQL} END)`,
    );
  }

  /** One more branch. */
  when(condition: Column, value: ColumnLike): CaseColumn {
    return new CaseColumn([...this.branches, [condition.sql, toSQL(value)]]);
  }

  /** The value when no branch matches. */
  otherwise(value: ColumnLike): Column {
    return new CaseColumn(this.branches, toSQL(value));
  }
}

/** Column functions. */
export const F = {
  /** A column by name. */
  col: (name: string): Column => colRef(name),
  /** Same as `col`. */
  column: (name: string): Column => colRef(name),
  /** A literal value. */
  lit: (value: LiteralValue): Column => new Column(sqlLiteral(value)),
  /** Raw DuckDB SQL, for anything `F` does not cover. */
  expr: (sql: string): Column => new Column(`(${sql})`),
  /** CASE WHEN; chain `.when(...)` and end with `.otherwise(...)`. */
  when: (condition: Column, value: ColumnLike): CaseColumn =>
    new CaseColumn([[condition.sql, toSQL(value)]]),

  count: (c: ColumnArg = '*'): Column => (c === '*' ? new Column('count(*)') : call('count', c)),
  countDistinct: (c: ColumnArg): Column => new Column(`count(DISTINCT ${asColumn(c).sql})`),
  approxCountDistinct: (c: ColumnArg): Column => call('approx_count_distinct', c),
  sum: (c: ColumnArg): Column => call('sum', c),
  avg: (c: ColumnArg): Column => call('avg', c),
  mean: (c: ColumnArg): Column => call('avg', c),
  min: (c: ColumnArg): Column => call('min', c),
  max: (c: ColumnArg): Column => call('max', c),
  median: (c: ColumnArg): Column => call('median', c),
  stddev: (c: ColumnArg): Column => call('stddev_samp', c),
  variance: (c: ColumnArg): Column => call('var_samp', c),
  first: (c: ColumnArg): Column => call('first', c),
  last: (c: ColumnArg): Column => call('last', c),
  collectList: (c: ColumnArg): Column => call('list', c),
  percentile: (c: ColumnArg, fraction: number): Column =>
    new Column(`quantile_cont(${asColumn(c).sql}, ${sqlLiteral(fraction)})`),

  abs: (c: ColumnArg): Column => call('abs', c),
  round: (c: ColumnArg, digits = 0): Column =>
    new Column(`round(${asColumn(c).sql}, ${sqlLiteral(digits)})`),
  floor: (c: ColumnArg): Column => call('floor', c),
  ceil: (c: ColumnArg): Column => call('ceil', c),
  sqrt: (c: ColumnArg): Column => call('sqrt', c),
  greatest: (...cs: ColumnArg[]): Column => call('greatest', ...cs),
  least: (...cs: ColumnArg[]): Column => call('least', ...cs),

  upper: (c: ColumnArg): Column => call('upper', c),
  lower: (c: ColumnArg): Column => call('lower', c),
  trim: (c: ColumnArg): Column => call('trim', c),
  length: (c: ColumnArg): Column => call('length', c),
  concat: (...cs: ColumnArg[]): Column => call('concat', ...cs),
  concatWs: (sep: string, ...cs: ColumnArg[]): Column =>
    new Column(`concat_ws(${sqlLiteral(sep)}, ${cs.map((c) => asColumn(c).sql).join(', ')})`),
  substring: (c: ColumnArg, start: number, length: number): Column =>
    new Column(`substring(${asColumn(c).sql}, ${start}, ${length})`),
  regexpReplace: (c: ColumnArg, pattern: string, replacement: string): Column =>
    new Column(
      `regexp_replace(${asColumn(c).sql}, ${sqlLiteral(pattern)}, ${sqlLiteral(replacement)}, 'g')`,
    ),
  regexpExtract: (c: ColumnArg, pattern: string, group = 0): Column =>
    new Column(`regexp_extract(${asColumn(c).sql}, ${sqlLiteral(pattern)}, ${group})`),

  coalesce: (...cs: ColumnLike[]): Column =>
    new Column(
      `coalesce(${cs.map((c) => (typeof c === 'string' ? colRef(c).sql : toSQL(c))).join(', ')})`,
    ),
  isnull: (c: ColumnArg): Column => asColumn(c).isNull(),
  isnan: (c: ColumnArg): Column => call('isnan', c),
  nullif: (a: ColumnArg, b: ColumnLike): Column =>
    new Column(`nullif(${asColumn(a).sql}, ${toSQL(b)})`),

  // Function-call forms: a bare `current_date` would bind to a column of that name if one exists.
  currentDate: (): Column => new Column('current_date()'),
  currentTimestamp: (): Column => new Column('get_current_timestamp()'),
  toDate: (c: ColumnArg): Column => asColumn(c).cast('DATE'),
  toTimestamp: (c: ColumnArg): Column => asColumn(c).cast('TIMESTAMP'),
  year: (c: ColumnArg): Column => call('year', c),
  month: (c: ColumnArg): Column => call('month', c),
  dayofmonth: (c: ColumnArg): Column => call('day', c),
  dayofweek: (c: ColumnArg): Column => call('dayofweek', c),
  hour: (c: ColumnArg): Column => call('hour', c),
  dateTrunc: (unit: string, c: ColumnArg): Column =>
    new Column(`date_trunc(${sqlLiteral(unit)}, ${asColumn(c).sql})`),
  dateDiff: (unit: string, start: ColumnArg, end: ColumnArg): Column =>
    new Column(`date_diff(${sqlLiteral(unit)}, ${asColumn(start).sql}, ${asColumn(end).sql})`),
  dateFormat: (c: ColumnArg, format: string): Column =>
    new Column(`strftime(${asColumn(c).sql}, ${sqlLiteral(format)})`),
} as const;
