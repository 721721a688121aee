/**
 * Step names in source and what they refer to. A name in `sourceBronze` or `sourceSilvers`
 * resolves to a step of the same file, else to one in a pipeline file it imports. Hover,
 * definition, references, rename and completion all resolve names here.
 */
import type { Position, Range, StepDefinition } from '../../engine/src/source/stepDefinitions.js';
import type { PipelineFile } from './pipelineFile.js';
import type { PipelineIndex } from './pipelineIndex.js';

/** A step that has a literal name. */
export type NamedStep = StepDefinition & { name: string; nameRange: Range };

/** A step definition and the file it is written in. */
export interface StepTarget {
  file: PipelineFile;
  step: NamedStep;
}

/** Where a step name is written: as a step's own name or as a source it reads. */
export type OccurrenceKind = 'definition' | 'sourceBronze' | 'sourceSilvers';

/** One step name written in a file. */
export interface StepOccurrence {
  file: PipelineFile;
  /** The step whose definition holds the name. */
  step: StepDefinition;
  kind: OccurrenceKind;
  name: string;
  /** The name's range without quotes. */
  range: Range;
}

/** Every step name written in a file, definitions and sources, in document order. */
export function occurrencesIn(file: PipelineFile): StepOccurrence[] {
  const result: StepOccurrence[] = [];
  for (const step of file.steps) {
    if (step.name !== undefined && step.nameRange) {
      result.push({ file, step, kind: 'definition', name: step.name, range: step.nameRange });
    }
    if (step.sourceBronze) {
      const { value, range } = step.sourceBronze;
      result.push({ file, step, kind: 'sourceBronze', name: value, range });
    }
    for (const { value, range } of step.sourceSilvers) {
      result.push({ file, step, kind: 'sourceSilvers', name: value, range });
    }
  }
  return result;
}

/** The step name at a position, if the position is on one (its ends included). */
export function occurrenceAt(file: PipelineFile, position: Position): StepOccurrence | undefined {
  return occurrencesIn(file).find((o) => contains(o.range, position));
}

/** The steps a file can name: its own, then those of the pipeline files it imports. */
export function visibleSteps(index: PipelineIndex, file: PipelineFile): StepTarget[] {
  const own = namedSteps(file);
  const names = new Set(own.map((t) => t.step.name));
  const imported: StepTarget[] = [];
  for (const other of index.importsOf(file)) {
    for (const target of namedSteps(other)) {
      if (!names.has(target.step.name)) {
        imported.push(target);
      }
    }
  }
  return [...own, ...imported];
}

/** The definitions a name written in `file` refers to: its own steps first, else imported. */
export function resolveName(index: PipelineIndex, file: PipelineFile, name: string): StepTarget[] {
  const own = namedSteps(file).filter((t) => t.step.name === name);
  if (own.length > 0) {
    return own;
  }
  for (const other of index.importsOf(file)) {
    const found = namedSteps(other).filter((t) => t.step.name === name);
    if (found.length > 0) {
      return found;
    }
  }
  return [];
}

/** The definitions an occurrence stands for; a definition stands for itself. */
export function definitionsOf(index: PipelineIndex, occurrence: StepOccurrence): StepTarget[] {
  if (occurrence.kind === 'definition') {
    const step = occurrence.step as NamedStep;
    return [{ file: occurrence.file, step }];
  }
  return resolveName(index, occurrence.file, occurrence.name);
}

/** Every source reference, in every pipeline file, that resolves to `target`. */
export function referencesTo(index: PipelineIndex, target: StepTarget): StepOccurrence[] {
  const result: StepOccurrence[] = [];
  for (const file of index.all()) {
    const candidates = occurrencesIn(file).filter(
      (o) => o.kind !== 'definition' && o.name === target.step.name,
    );
    if (candidates.length === 0) {
      continue;
    }
    const resolved = resolveName(index, file, target.step.name);
    if (resolved.some((t) => t.file === target.file && t.step.offset === target.step.offset)) {
      result.push(...candidates);
    }
  }
  return result;
}

/** The named steps of one file as targets. */
export function namedSteps(file: PipelineFile): StepTarget[] {
  return file.steps.flatMap((step) =>
    step.name !== undefined && step.nameRange ? [{ file, step: step as NamedStep }] : [],
  );
}

/** The names a step reads: `sourceBronze` then `sourceSilvers`. */
export function sourcesOf(step: StepDefinition): string[] {
  const names = step.sourceBronze ? [step.sourceBronze.value] : [];
  return [...new Set([...names, ...step.sourceSilvers.map((s) => s.value)])];
}

/** True when a position lies in a range, both ends included. */
export function contains(range: Range, position: Position): boolean {
  return !before(position, range.start) && !before(range.end, position);
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}
