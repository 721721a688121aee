// Unit tests for the step graph: run order, cycles with their whole path, unknown sources with a
// suggestion, duplicates, and the steps upstream and downstream of a step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStepwiseError } from './errors.js';
import {
  dependencyOrder,
  downstreamOf,
  findCycles,
  graphProblems,
  upstreamOf,
  type GraphNode,
} from './graph.js';

const node = (name: string, ...dependencies: string[]): GraphNode => ({ name, dependencies });

/** raw → clean → enriched → report, raw → other → other_report, and a gold over two silvers. */
const PIPELINE = [
  node('report', 'enriched'),
  node('raw'),
  node('enriched', 'clean'),
  node('other', 'raw'),
  node('clean', 'raw'),
  node('both', 'clean', 'other'),
  node('other_report', 'other'),
];

void test('the order is topological with declaration order breaking ties', () => {
  const order = dependencyOrder(PIPELINE).map((n) => n.name);
  for (const [index, step] of order.entries()) {
    const before = new Set(order.slice(0, index));
    const deps = PIPELINE.find((n) => n.name === step)?.dependencies ?? [];
    assert.ok(
      deps.every((d) => before.has(d)),
      `${step} runs after ${deps.join(', ')}`,
    );
  }
  assert.deepEqual(order, ['raw', 'other', 'clean', 'enriched', 'report', 'both', 'other_report']);
  assert.deepEqual(
    dependencyOrder([node('b'), node('a'), node('c')]).map((n) => n.name),
    ['b', 'a', 'c'],
  );
  const objects = [node('x', 'y'), node('y')];
  assert.equal(dependencyOrder(objects)[1], objects[0], 'the same node objects come back');
});

void test('a cycle is found once, with every step on it, from the earliest declared', () => {
  assert.deepEqual(findCycles([node('a', 'b'), node('b', 'a')]), [['a', 'b']]);
  assert.deepEqual(findCycles([node('b', 'a'), node('a', 'b')]), [['b', 'a']]);
  assert.deepEqual(findCycles([node('a', 'a')]), [['a']]);
  // Arrows follow the data: `a` reads `c`, so the path runs a → b → c → a.
  assert.deepEqual(
    findCycles([
      node('raw'),
      node('a', 'raw', 'c'),
      node('b', 'a'),
      node('c', 'b'),
      node('d', 'd'),
    ]),
    [['a', 'b', 'c'], ['d']],
  );
  assert.deepEqual(findCycles(PIPELINE), []);
});

void test('every step on a cycle gets a problem with the whole path', () => {
  const problems = graphProblems([
    node('raw'),
    node('a', 'raw', 'b'),
    node('b', 'a'),
    node('self', 'self'),
  ]);
  assert.deepEqual(
    problems.map((p) => [p.kind, p.step, p.kind === 'cycle' ? p.path.join(' → ') : '']),
    [
      ['cycle', 'a', 'a → b → a'],
      ['cycle', 'b', 'a → b → a'],
      ['cycle', 'self', 'self → self'],
    ],
  );
  assert.equal(
    problems[0]?.message,
    'Steps depend on each other in a cycle: a → b → a. Remove one of these dependencies.',
  );
});

void test('an unknown source is reported with a did-you-mean when a name is close', () => {
  const problems = graphProblems([
    node('raw_events'),
    node('clean', 'raw_evnts'),
    node('gold', 'zzz'),
  ]);
  assert.deepEqual(problems, [
    {
      kind: 'unknown_source',
      step: 'clean',
      source: 'raw_evnts',
      suggestion: 'raw_events',
      message:
        "Step 'clean' reads 'raw_evnts', which is not a step of this pipeline. Did you mean 'raw_events'?",
    },
    {
      kind: 'unknown_source',
      step: 'gold',
      source: 'zzz',
      message: "Step 'gold' reads 'zzz', which is not a step of this pipeline.",
    },
  ]);
});

void test('duplicate names are reported, and dependencyOrder throws for the first problem', () => {
  assert.deepEqual(
    graphProblems([node('a'), node('a')]).map((p) => [p.kind, p.message]),
    [['duplicate', "Two steps are named 'a'; step names must be unique. Rename one of them."]],
  );
  const cases: [GraphNode[], string, RegExp][] = [
    [[node('a', 'b'), node('b', 'a')], 'dependency_cycle', /a → b → a/],
    [[node('a'), node('b', 'aa')], 'unknown_step', /Step 'b' reads 'aa'.*Did you mean 'a'\?/],
    [[node('a'), node('a')], 'duplicate_step', /Two steps are named 'a'/],
  ];
  for (const [nodes, code, message] of cases) {
    assert.throws(
      () => dependencyOrder(nodes),
      (e: unknown) => isStepwiseError(e) && e.code === code && message.test(e.message),
      code,
    );
  }
});

void test('downstreamOf and upstreamOf are transitive, in run order, and skip siblings', () => {
  assert.deepEqual(downstreamOf(PIPELINE, 'clean'), ['enriched', 'report', 'both']);
  assert.deepEqual(downstreamOf(PIPELINE, 'other'), ['both', 'other_report']);
  assert.deepEqual(downstreamOf(PIPELINE, 'report'), []);
  assert.deepEqual(upstreamOf(PIPELINE, 'report'), ['raw', 'clean', 'enriched']);
  assert.deepEqual(upstreamOf(PIPELINE, 'both'), ['raw', 'other', 'clean']);
  assert.deepEqual(upstreamOf(PIPELINE, 'raw'), []);
});
