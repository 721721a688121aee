/**
 * The step graph: dependency order (topological, declaration order breaking ties), cycles with
 * their full path, and the steps downstream of a step. Shared by the runner, the debugger and the
 * language server.
 */
import { closestName, StepwiseError } from './errors.js';

/** The part of a step the graph needs. */
export interface GraphNode {
  name: string;
  dependencies: string[];
}

/** A problem with the graph, in a form editors can show on each involved step. */
export type GraphProblem =
  | { kind: 'duplicate'; step: string; message: string }
  | { kind: 'unknown_source'; step: string; source: string; suggestion?: string; message: string }
  | { kind: 'cycle'; step: string; path: string[]; message: string };

/** Every problem in the graph: duplicate names, unknown sources and cycles. */
export function graphProblems(nodes: readonly GraphNode[]): GraphProblem[] {
  const problems: GraphProblem[] = [];
  const names = nodes.map((n) => n.name);
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) {
      problems.push({
        kind: 'duplicate',
        step: name,
        message: `Two steps are named '${name}'; step names must be unique. Rename one of them.`,
      });
    }
    seen.add(name);
  }
  for (const node of nodes) {
    for (const source of node.dependencies) {
      if (!seen.has(source)) {
        const suggestion = closestName(
          source,
          names.filter((n) => n !== node.name),
        );
        const hint = suggestion ? ` Did you mean '${suggestion}'?` : '';
        problems.push({
          kind: 'unknown_source',
          step: node.name,
          source,
          ...(suggestion ? { suggestion } : {}),
          message: `Step '${node.name}' reads '${source}', which is not a step of this pipeline.${hint}`,
        });
      }
    }
  }
  for (const cycle of findCycles(nodes)) {
    const path = [...cycle, cycle[0]!];
    for (const step of cycle) {
      problems.push({
        kind: 'cycle',
        step,
        path,
        message: `Steps depend on each other in a cycle: ${path.join(' → ')}. Remove one of these dependencies.`,
      });
    }
  }
  return problems;
}

/** Steps in run order; throws a `StepwiseError` for the first graph problem. */
export function dependencyOrder<T extends GraphNode>(nodes: readonly T[]): T[] {
  const problem = graphProblems(nodes)[0];
  if (problem) {
    const code =
      problem.kind === 'cycle'
        ? 'dependency_cycle'
        : problem.kind === 'duplicate'
          ? 'duplicate_step'
          : 'unknown_step';
    throw new StepwiseError(code, problem.message, {
      step: problem.step,
      field: problem.kind === 'unknown_source' ? 'sources' : 'name',
    });
  }
  return topologicalOrder(nodes);
}

/** Kahn's algorithm; among ready steps the earliest declared runs first. */
function topologicalOrder<T extends GraphNode>(nodes: readonly T[]): T[] {
  const remaining = new Map(nodes.map((n) => [n.name, new Set(n.dependencies)]));
  const order: T[] = [];
  const done = new Set<string>();
  while (order.length < nodes.length) {
    const next = nodes.find(
      (n) => !done.has(n.name) && [...remaining.get(n.name)!].every((d) => done.has(d)),
    );
    if (!next) {
      break;
    }
    done.add(next.name);
    order.push(next);
  }
  return order;
}

/** Each cycle once, as the list of its steps starting from the earliest declared. */
export function findCycles(nodes: readonly GraphNode[]): string[][] {
  const deps = new Map(nodes.map((n) => [n.name, n.dependencies]));
  const order = new Map(nodes.map((n, i) => [n.name, i]));
  const cycles: string[][] = [];
  const keys = new Set<string>();
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];

  const visit = (name: string): void => {
    state.set(name, 'active');
    stack.push(name);
    for (const dep of deps.get(name) ?? []) {
      if (!deps.has(dep)) {
        continue;
      }
      if (state.get(dep) === 'active') {
        const cycle = stack.slice(stack.indexOf(dep)).reverse();
        const start = cycle.reduce((best, n) => (order.get(n)! < order.get(best)! ? n : best));
        const rotated = [
          ...cycle.slice(cycle.indexOf(start)),
          ...cycle.slice(0, cycle.indexOf(start)),
        ];
        const key = rotated.join('\u0000');
        if (!keys.has(key)) {
          keys.add(key);
          cycles.push(rotated);
        }
      } else if (!state.has(dep)) {
        visit(dep);
      }
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const node of nodes) {
    if (!state.has(node.name)) {
      visit(node.name);
    }
  }
  return cycles;
}

/** Names of the steps that depend on `name`, directly or not, in run order. */
export function downstreamOf(nodes: readonly GraphNode[], name: string): string[] {
  const result = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const node of nodes) {
      if (!result.has(node.name) && node.dependencies.some((d) => d === name || result.has(d))) {
        result.add(node.name);
        grew = true;
      }
    }
  }
  return topologicalOrder(nodes)
    .filter((n) => result.has(n.name))
    .map((n) => n.name);
}

/** Names of the steps `name` depends on, directly or not, in run order, without `name`. */
export function upstreamOf(nodes: readonly GraphNode[], name: string): string[] {
  const deps = new Map(nodes.map((n) => [n.name, n.dependencies]));
  const result = new Set<string>();
  const walk = (n: string): void => {
    for (const d of deps.get(n) ?? []) {
      if (!result.has(d)) {
        result.add(d);
        walk(d);
      }
    }
  };
  walk(name);
  return topologicalOrder(nodes)
    .filter((n) => result.has(n.name))
    .map((n) => n.name);
}
