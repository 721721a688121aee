/** `stepwise list`: the steps of a pipeline in run order, with what each reads and writes. */
import type { BronzeSource, PipelineDefinition } from '../definePipeline.js';
import { orderOf } from '../runner.js';
import { isSourceSpec } from '../sources.js';
import { SqlQuery } from '../sqlTemplate.js';
import type { Step } from '../steps.js';
import { formatTable } from '../textTable.js';
import { displayPath, plural } from './format.js';

/** The step table and a line on the config, ending with a newline. */
export function renderStepList(definition: PipelineDefinition): string {
  const { config } = definition;
  const rows = orderOf(definition.steps).map((step, i) => [
    String(i + 1),
    step.name,
    step.layer,
    readsOf(step, definition.sources[step.name]),
    tableOf(step, config.schema),
    String(step.compiledRules.length),
  ]);
  const table = formatTable(['#', 'step', 'layer', 'reads', 'table', 'rules'], rows);
  const t = config.thresholds;
  return (
    `${table}\n${plural(rows.length, 'step')} · schema ${config.schema} · thresholds ` +
    `bronze ${t.bronze}%, silver ${t.silver}%, gold ${t.gold}%\n`
  );
}

function readsOf(step: Step, source: BronzeSource | undefined): string {
  if (step.layer !== 'bronze') {
    return step.dependencies.join(', ');
  }
  if (source === undefined) {
    return '(no source)';
  }
  if (isSourceSpec(source)) {
    return `${source.format} ${displayPath(source.path)}`;
  }
  return source instanceof SqlQuery ? 'sql query' : 'DataFrame';
}

function tableOf(step: Step, schema: string): string {
  return step.layer === 'bronze' ? '– (not written)' : `${step.schema ?? schema}.${step.tableName}`;
}
