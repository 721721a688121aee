/**
 * The custom requests the extension sends: a page of a DataFrame as Arrow IPC for the data
 * viewer, a rerun of a step with given params, and the step graph for the lineage view.
 */
import { tableToIPC } from 'apache-arrow';
import { INVALID_SUFFIX } from '../../engine/src/index.js';
import { readerToArrow } from '../../engine/src/arrow.js';
import { quoteIdent } from '../../engine/src/sqlText.js';
import type {
  PreviewPageArguments,
  PreviewPageResult,
  RerunStepArguments,
  RerunStepResult,
  StepGraphResult,
} from '../../protocol/debugProtocol.js';
import type { DebugRuntime } from './runtime.js';

/** A page of a context DataFrame, sorted and filtered by DuckDB. */
export async function previewPage(
  runtime: DebugRuntime,
  args: PreviewPageArguments,
): Promise<PreviewPageResult> {
  const invalid = args.frame.endsWith(INVALID_SUFFIX);
  const step = invalid ? args.frame.slice(0, -INVALID_SUFFIX.length) : args.frame;
  const frame = invalid ? runtime.invalid.get(step) : runtime.context[step];
  if (!frame) {
    throw new Error(`'${args.frame}' is not in the debug context; run step '${step}' first.`);
  }
  const { text, params } = await frame.compile();
  const where = args.filter?.trim() ? ` WHERE (${args.filter})` : '';
  const order = args.orderBy?.length
    ? ` ORDER BY ${args.orderBy.map((o) => `${quoteIdent(o.column)} ${o.descending ? 'DESC' : 'ASC'} NULLS LAST`).join(', ')}`
    : '';
  const base = `SELECT * FROM (${text})${where}`;
  const limit = Math.max(0, Math.min(args.limit, 100_000));
  const offset = Math.max(0, args.offset);
  const session = frame.session;
  const [page, total, schema] = await Promise.all([
    session.query(`${base}${order} LIMIT ${limit} OFFSET ${offset}`, params),
    session.query(`SELECT count(*) FROM (${base})`, params),
    frame.schema(),
  ]);
  const ipc = tableToIPC(readerToArrow(page), 'stream');
  return {
    arrowIpcBase64: Buffer.from(ipc).toString('base64'),
    totalRows: Number(total.getRows()[0]![0]),
    columns: schema,
  };
}

/** Reruns a step with the given params and reports its result. */
export async function rerunStep(
  runtime: DebugRuntime,
  args: RerunStepArguments,
): Promise<RerunStepResult> {
  const result = await runtime.rerunNow(args.step, args.params);
  return {
    status: result.status,
    outputRows: result.outputRows,
    validRows: result.validRows,
    invalidRows: result.invalidRows,
    validationRate: result.validationRate,
    durationMs: result.durationMs,
    error: result.error,
  };
}

/** The step graph with each step's state in this session. */
export function stepGraph(runtime: DebugRuntime): StepGraphResult {
  return {
    steps: runtime.host.steps.map((step) => {
      const result = runtime.results.get(step.name);
      return {
        name: step.name,
        layer: step.layer,
        dependencies: step.dependencies,
        status: runtime.running === step.name ? 'running' : (result?.status ?? 'pending'),
        outputRows: result?.outputRows ?? null,
        validationRate: result?.validationRate ?? null,
        durationMs: result?.durationMs ?? null,
      };
    }),
    current: runtime.paused?.step ?? runtime.running ?? null,
  };
}
