/**
 * Keeps step lenses on their steps while a file is being typed. While some step is not complete,
 * error recovery in the parser can swallow the steps after it; the steps of the last complete
 * parse whose headers the edits did not touch are then kept at their positions, moved with the
 * edits, so lenses neither vanish, nor jump, nor appear twice.
 */
import type { Layer } from '../../engine/src/steps.js';
import type { StepDefinition } from '../../engine/src/source/stepDefinitions.js';

/** Where a step's lenses go: its name, its layer and the offset of its `new` keyword. */
export interface StepAnchor {
  name: string;
  layer: Layer;
  /** Document offset of the step's `new` keyword. */
  offset: number;
  /** Document offset of the end of the step's name literal: the header ends there. */
  headerEnd: number;
}

/** One text edit in offsets of the document before the edit. */
export interface TextEdit {
  start: number;
  end: number;
  /** Length of the text that replaced `[start, end)`. */
  length: number;
}

/** The stable step anchors of one document. */
export class StableSteps {
  private remembered: StepAnchor[] | undefined;

  /** Moves remembered anchors with an edit, and forgets those whose header it touched. */
  applyEdit(edit: TextEdit): void {
    if (!this.remembered) {
      return;
    }
    const delta = edit.length - (edit.end - edit.start);
    this.remembered = this.remembered.flatMap((anchor) => {
      if (anchor.offset >= edit.end) {
        return [{ ...anchor, offset: anchor.offset + delta, headerEnd: anchor.headerEnd + delta }];
      }
      return anchor.headerEnd <= edit.start ? [anchor] : [];
    });
  }

  /**
   * The anchors for a fresh parse. `headerEndOf` gives the document offset of a step's name end.
   * Call once per parse: the result becomes what is remembered.
   */
  anchors(
    steps: readonly StepDefinition[],
    headerEndOf: (step: StepDefinition) => number,
  ): StepAnchor[] {
    const anchor = (step: StepDefinition & { name: string }): StepAnchor => ({
      name: step.name,
      layer: step.layer,
      offset: step.offset,
      headerEnd: headerEndOf(step),
    });
    if (steps.every((s) => s.complete)) {
      this.remembered = steps.filter(hasName).map(anchor);
      return [...this.remembered];
    }

    const byOffset = new Map(steps.map((s) => [s.offset, s]));
    const matched = new Set<StepDefinition>();
    const kept: StepAnchor[] = [];
    const unmatched: StepAnchor[] = [];
    for (const old of this.remembered ?? []) {
      const now = byOffset.get(old.offset);
      if (now && now.layer === old.layer) {
        matched.add(now);
        kept.push(now.complete && hasName(now) ? anchor(now) : old);
      } else {
        unmatched.push(old);
      }
    }
    const fresh = steps.filter((s) => s.complete && hasName(s) && !matched.has(s));
    const freshNames = new Set(fresh.map((s) => s.name));
    kept.push(...unmatched.filter((old) => !freshNames.has(old.name)));
    kept.push(...fresh.filter(hasName).map(anchor));
    kept.sort((a, b) => a.offset - b.offset);
    this.remembered = kept;
    return [...kept];
  }
}

function hasName(step: StepDefinition): step is StepDefinition & { name: string } {
  return step.name !== undefined;
}
