/**
 * The closed set of errors the engine reports to users. Each code has one factory, and every
 * message says what failed, where (file, step, field or option) and how to fix it.
 */

/** Every error code the engine can raise. */
export type StepwiseErrorCode =
  | 'invalid_step'
  | 'invalid_rule'
  | 'invalid_config'
  | 'unknown_step'
  | 'duplicate_step'
  | 'dependency_cycle'
  | 'missing_dependency'
  | 'missing_source'
  | 'transform_failed'
  | 'bad_transform_result'
  | 'below_threshold'
  | 'schema_mismatch'
  | 'warehouse_busy'
  | 'warehouse_failed'
  | 'query_failed'
  | 'cancelled'
  | 'pipeline_load_failed'
  | 'pipeline_syntax_error'
  | 'bad_params'
  | 'usage';

/** Where an error happened, for editors and terminals that can point at it. */
export interface ErrorLocation {
  file: string;
  line: number;
  column: number;
}

/** An error raised by the engine, with a stable code and optional context. */
export class StepwiseError extends Error {
  override readonly name = 'StepwiseError';

  constructor(
    readonly code: StepwiseErrorCode,
    message: string,
    readonly details: { step?: string; field?: string; location?: ErrorLocation } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True when the value is a StepwiseError with the given code. */
export function isStepwiseError(value: unknown, code?: StepwiseErrorCode): value is StepwiseError {
  return value instanceof StepwiseError && (code === undefined || value.code === code);
}

/** The message of any thrown value, without a stack. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A list of names for messages: `'a', 'b' and 'c'`, or `(none)`. */
export function listNames(names: readonly string[]): string {
  if (names.length === 0) {
    return '(none)';
  }
  const quoted = names.map((n) => `'${n}'`);
  return quoted.length === 1
    ? quoted[0]!
    : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

/** The closest known name to a misspelt one, for "did you mean" hints. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  const limit = Math.max(2, Math.floor(name.length / 3));
  return bestDistance <= limit ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** An unknown step name, with the known names and a suggestion. */
export function unknownStepError(
  name: string,
  known: readonly string[],
  what: string,
): StepwiseError {
  const guess = closestName(name, known);
  const hint = guess ? ` Did you mean '${guess}'?` : '';
  return new StepwiseError(
    'unknown_step',
    `${what}: there is no step named '${name}'.${hint} Known steps: ${listNames(known)}.`,
    { step: name },
  );
}
