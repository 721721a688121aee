/**
 * The scopes of a stack frame: Step (layer, params, rules, table, SQL), Inputs, Output,
 * Validation (rates, rule failures, invalid rows) and Context (every step output).
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { formatRate, type Step } from '../../engine/src/index.js';
import type { DebugRuntime } from './runtime.js';
import type { Entry, VariableStore } from './variables.js';

/** The five scopes of the frame of `stepName`. */
export function scopesOf(
  runtime: DebugRuntime,
  store: VariableStore,
  stepName: string,
): DebugProtocol.Scope[] {
  const step = runtime.host.step(stepName);
  if (!step) {
    return [];
  }
  const scope = (
    name: string,
    load: () => Promise<Entry[]>,
    expensive = false,
  ): DebugProtocol.Scope => ({
    name,
    variablesReference: store.create({ kind: 'lazy', load }),
    expensive,
  });
  return [
    scope('Step', () => Promise.resolve(stepEntries(runtime, step))),
    scope('Inputs', () => Promise.resolve(inputEntries(runtime, step))),
    scope('Output', () => Promise.resolve(outputEntries(runtime, step))),
    scope('Validation', () => Promise.resolve(validationEntries(runtime, step))),
    scope('Context', () => Promise.resolve(contextEntries(runtime))),
  ];
}

function stepEntries(runtime: DebugRuntime, step: Step): Entry[] {
  const config = runtime.host.definition.config;
  const params = runtime.stepParams[step.name] ?? {};
  const entries: Entry[] = [
    { name: 'name', value: step.name, type: 'string' },
    { name: 'layer', value: step.layer, type: 'string' },
    {
      name: 'params',
      value: JSON.stringify(params, jsonSafe),
      container: {
        kind: 'entries',
        entries: Object.entries(params).map(([key, v]) => ({
          name: key,
          value: JSON.stringify(v, jsonSafe) ?? 'undefined',
          editable: { step: step.name, key },
        })),
      },
    },
    {
      name: 'rules',
      value: `${step.compiledRules.length} ${step.compiledRules.length === 1 ? 'rule' : 'rules'}`,
      container: {
        kind: 'entries',
        entries: step.compiledRules.map((r) => ({ name: r.name, value: r.sql, type: 'sql' })),
      },
    },
    { name: 'sources', value: step.dependencies.join(', ') || '(none)' },
    { name: 'threshold', value: `${config.thresholds[step.layer]}%` },
  ];
  if (step.layer !== 'bronze') {
    entries.push({
      name: 'table',
      value: `${step.schema ?? config.schema}.${step.tableName}`,
      type: 'string',
    });
  }
  const output =
    runtime.context[step.name] ?? (runtime.running === step.name ? runtime.phaseOutput : undefined);
  if (output) {
    entries.push({
      name: 'sql',
      value: '(select to load)',
      container: {
        kind: 'lazy',
        load: async () => [{ name: 'sql', value: await output.toSQL(), type: 'sql' }],
      },
    });
  }
  return entries;
}

function inputEntries(runtime: DebugRuntime, step: Step): Entry[] {
  return step.dependencies.map((name) => {
    const frame = runtime.context[name];
    return frame
      ? { name, frame }
      : { name, value: 'not in the context yet: run before this step, or loaded when it runs' };
  });
}

function outputEntries(runtime: DebugRuntime, step: Step): Entry[] {
  const entries: Entry[] = [];
  const output = runtime.context[step.name];
  if (output) {
    entries.push({ name: 'output', frame: output });
  } else if (runtime.running === step.name && runtime.phaseOutput) {
    entries.push({ name: 'transform output', frame: runtime.phaseOutput });
  } else {
    entries.push({ name: 'output', value: 'not run yet' });
  }
  const invalid = runtime.invalid.get(step.name);
  if (invalid) {
    entries.push({ name: 'invalid rows', frame: invalid });
  }
  return entries;
}

function validationEntries(runtime: DebugRuntime, step: Step): Entry[] {
  const result =
    runtime.running === step.name ? runtime.phaseResult : runtime.results.get(step.name);
  if (!result) {
    return [{ name: 'status', value: 'not run yet' }];
  }
  const entries: Entry[] = [
    { name: 'status', value: runtime.running === step.name ? 'running' : result.status },
    { name: 'validation rate', value: formatRate(result) },
    { name: 'threshold', value: `${result.threshold}%` },
    { name: 'output rows', value: result.outputRows.toLocaleString('en-US') },
    { name: 'valid rows', value: result.validRows.toLocaleString('en-US') },
    { name: 'invalid rows count', value: result.invalidRows.toLocaleString('en-US') },
    {
      name: 'rule failures',
      value: `${Object.values(result.ruleFailures).filter((n) => n > 0).length} failing`,
      container: {
        kind: 'entries',
        entries: Object.entries(result.ruleFailures).map(([rule, n]) => ({
          name: rule,
          value: n.toLocaleString('en-US'),
        })),
      },
    },
  ];
  const invalid = runtime.invalid.get(step.name);
  if (invalid) {
    entries.push({ name: 'invalid rows', frame: invalid });
  }
  if (result.error) {
    entries.push({ name: 'error', value: result.error, type: 'string' });
  }
  return entries;
}

function contextEntries(runtime: DebugRuntime): Entry[] {
  return Object.entries(runtime.context).map(([name, frame]) => ({ name, frame }));
}

function jsonSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
