/**
 * Diagnostics for the step graph of one file, from the engine's own graph checks: duplicate
 * names, unknown sources (with a "did you mean"), cycles (on every step of the cycle, with the
 * whole path), and silver or gold steps that read nothing. Steps of imported pipeline files take
 * part in the graph, but only this file's steps get diagnostics.
 */
import type { Diagnostic, DiagnosticRelatedInformation, Range } from 'vscode-languageserver/node';
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import { graphProblems, type GraphNode } from '../../engine/src/graph.js';
import type { StepDefinition, StringRef } from '../../engine/src/source/stepDefinitions.js';
import {
  DIAGNOSTIC_SOURCE,
  type DiagnosticCode,
  type UnknownSourceData,
} from './diagnosticCodes.js';
import type { PipelineFile } from './pipelineFile.js';
import type { PipelineIndex } from './pipelineIndex.js';
import { optionState } from './stepOptions.js';
import { namedSteps, sourcesOf, visibleSteps, type NamedStep } from './stepNames.js';

/** Graph problems of the steps written in `file`. */
export function graphDiagnostics(index: PipelineIndex, file: PipelineFile): Diagnostic[] {
  const own = namedSteps(file).map((t) => t.step);
  const nodes: GraphNode[] = visibleSteps(index, file).map((t) => ({
    name: t.step.name,
    dependencies: sourcesOf(t.step),
  }));

  const diagnostics = new Map<string, Diagnostic>();
  const add = (key: string, diagnostic: Diagnostic): void => {
    if (!diagnostics.has(key)) {
      diagnostics.set(key, diagnostic);
    }
  };
  const byName = new Map<string, NamedStep[]>();
  for (const step of own) {
    byName.set(step.name, [...(byName.get(step.name) ?? []), step]);
  }
  // Every step on a cycle reports the same path; its edges are worked out once.
  const edgesOfPath = new Map<string, { from: string; ref: StringRef }[]>();
  for (const problem of graphProblems(nodes)) {
    const steps = byName.get(problem.step) ?? [];
    switch (problem.kind) {
      case 'duplicate':
        for (const step of steps) {
          const others = steps.filter((s) => s !== step);
          add(`dup:${step.offset}`, {
            ...error(step.nameRange, problem.message, 'duplicate-step'),
            relatedInformation: others.map((o) => related(file, o.nameRange, 'Also named here')),
          });
        }
        break;
      case 'unknown_source':
        for (const ref of steps.flatMap((s) => refsNamed(s, problem.source))) {
          const data: UnknownSourceData = problem.suggestion
            ? { suggestion: problem.suggestion }
            : {};
          add(`unknown:${ref.offset}`, {
            ...error(ref.range, problem.message, 'unknown-source'),
            data,
          });
        }
        break;
      case 'cycle': {
        const key = problem.path.join('\u0000');
        const edges = edgesOfPath.get(key) ?? cycleEdges(byName, problem.path);
        edgesOfPath.set(key, edges);
        for (const step of steps) {
          add(`cycle:${step.offset}:${problem.message}`, {
            ...error(step.nameRange, problem.message, 'dependency-cycle'),
            relatedInformation: edges.map(({ from, ref }) =>
              related(file, ref.range, `'${from}' reads '${ref.value}'`),
            ),
          });
        }
        break;
      }
    }
  }
  const result = [...diagnostics.values()];
  result.push(...missingSources(file));
  return result;
}

/** Silver steps without `sourceBronze` and gold steps without `sourceSilvers`. */
function missingSources(file: PipelineFile): Diagnostic[] {
  const result: Diagnostic[] = [];
  for (const step of file.steps) {
    if (!step.complete) {
      continue;
    }
    const range = step.nameRange ?? keywordRange(step);
    const who =
      step.name === undefined
        ? `This ${step.layer} step`
        : `${capital(step.layer)} step '${step.name}'`;
    if (
      step.layer === 'silver' &&
      !step.sourceBronze &&
      optionState(file.text, step, 'sourceBronze') === 'absent'
    ) {
      const message = `${who} has no sourceBronze: name the bronze step it reads, e.g. sourceBronze: 'flights'.`;
      result.push(error(range, message, 'missing-source-bronze'));
    }
    if (step.layer === 'gold' && step.sourceSilvers.length === 0) {
      const state = optionState(file.text, step, 'sourceSilvers');
      if (state !== 'present') {
        const what =
          state === 'absent' ? 'has no sourceSilvers' : 'has an empty sourceSilvers list';
        const message = `${who} ${what}: list the steps it reads, e.g. sourceSilvers: ['clean_flights'].`;
        result.push(error(range, message, 'missing-source-silvers'));
      }
    }
  }
  return result;
}

/** For each step on a cycle path, the reference that leads to the next step of the path. */
function cycleEdges(
  byName: ReadonlyMap<string, readonly NamedStep[]>,
  path: readonly string[],
): { from: string; ref: StringRef }[] {
  const edges: { from: string; ref: StringRef }[] = [];
  for (let i = 0; i + 1 < path.length; i++) {
    const from = path[i]!;
    const to = path[i + 1]!;
    const ref = (byName.get(from) ?? []).flatMap((s) => refsNamed(s, to))[0];
    if (ref) {
      edges.push({ from, ref });
    }
  }
  return edges;
}

/** The source references of a step that name `source`. */
function refsNamed(step: StepDefinition, source: string): StringRef[] {
  const refs = step.sourceBronze ? [step.sourceBronze, ...step.sourceSilvers] : step.sourceSilvers;
  return refs.filter((r) => r.value === source);
}

function error(range: Range, message: string, code: DiagnosticCode): Diagnostic {
  return { range, message, severity: DiagnosticSeverity.Error, source: DIAGNOSTIC_SOURCE, code };
}

function related(file: PipelineFile, range: Range, message: string): DiagnosticRelatedInformation {
  return { location: { uri: file.uri, range }, message };
}

/** The range of a step's `new` keyword, for steps without a literal name. */
function keywordRange(step: StepDefinition): Range {
  const { line, character } = step.range.start;
  return { start: step.range.start, end: { line, character: character + 3 } };
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
