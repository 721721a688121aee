/**
 * Loads a `*.pipeline.ts` (or `.js`) file: bundles it with esbuild, runs it with
 * `@stepwise/engine` bound to this running engine, and returns its `definePipeline` export with
 * source paths made absolute. Every load is fresh, so edits are picked up.
 */
import { build, type BuildFailure, type Message } from 'esbuild';
import { existsSync, statSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';
import {
  isPipelineDefinition,
  type BronzeSource,
  type PipelineDefinition,
} from './definePipeline.js';
import { errorMessage, StepwiseError, type ErrorLocation } from './errors.js';
import * as engineApi from './index.js';
import { isSourceSpec } from './sources.js';
import { locationInStack } from './stepLocation.js';

/** The module name pipeline files import the engine from. */
export const ENGINE_MODULE = '@stepwise/engine';

/** A pipeline file, loaded. */
export interface LoadedPipeline {
  /** Absolute path of the pipeline file. */
  file: string;
  definition: PipelineDefinition;
}

interface NodeModuleInternals {
  _compile(code: string, filename: string): void;
  paths: string[];
  filename: string;
  exports: unknown;
  require(id: string): unknown;
}

type ModuleStatics = { _nodeModulePaths(dir: string): string[] };

/** Loads a pipeline file; errors name the file, and the line and column when known. */
export async function loadPipeline(path: string): Promise<LoadedPipeline> {
  const file = resolve(path);
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new StepwiseError(
      'pipeline_load_failed',
      `Pipeline file not found: ${file}. Check the path; pipeline files are named *.pipeline.ts.`,
      { field: 'pipeline' },
    );
  }
  const code = await bundle(file);
  const exported = evaluate(file, code);
  const definition = (exported as { default?: unknown })?.default ?? exported;
  if (!isPipelineDefinition(definition)) {
    throw new StepwiseError(
      'pipeline_load_failed',
      `${file} does not export a pipeline. End it with \`export default definePipeline({ ... })\`, ` +
        `importing definePipeline from '${ENGINE_MODULE}'.`,
      { field: 'pipeline', location: { file, line: 1, column: 1 } },
    );
  }
  return { file, definition: withAbsoluteSources(definition, dirname(file)) };
}

async function bundle(file: string): Promise<string> {
  try {
    const result = await build({
      entryPoints: [file],
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      sourcemap: 'inline',
      sourcesContent: false,
      packages: 'external',
      external: [ENGINE_MODULE],
      logLevel: 'silent',
      absWorkingDir: dirname(file),
    });
    return result.outputFiles[0]!.text;
  } catch (error) {
    const first = (error as Partial<BuildFailure>).errors?.[0];
    if (!first) {
      throw new StepwiseError(
        'pipeline_load_failed',
        `Could not bundle ${file}: ${errorMessage(error)}`,
        {
          field: 'pipeline',
        },
      );
    }
    throw syntaxError(file, first);
  }
}

function syntaxError(file: string, message: Message): StepwiseError {
  const where = message.location;
  const location: ErrorLocation = {
    file: where ? resolve(dirname(file), where.file) : file,
    line: where?.line ?? 1,
    column: (where?.column ?? 0) + 1,
  };
  return new StepwiseError(
    'pipeline_syntax_error',
    `${location.file}:${location.line}:${location.column}: ${message.text}` +
      (where?.lineText ? `\n    ${where.lineText.trim()}` : ''),
    { field: 'pipeline', location },
  );
}

/**
 * Every module loaded so far. Node keeps a loaded file's source map only while its module object
 * lives, and a transform can throw long after loading, so its stack must still map to the source.
 */
const loadedModules: NodeModuleInternals[] = [];

function evaluate(file: string, code: string): unknown {
  process.setSourceMapsEnabled(true);
  const mod = new Module(file) as unknown as NodeModuleInternals;
  loadedModules.push(mod);
  mod.filename = file;
  mod.paths = (Module as unknown as ModuleStatics)._nodeModulePaths(dirname(file));
  const fallback = createRequire(file);
  mod.require = (id: string): unknown => (id === ENGINE_MODULE ? engineApi : fallback(id));
  try {
    mod._compile(code, file);
  } catch (error) {
    const given = error instanceof StepwiseError ? error.details.location : undefined;
    const location = given?.file === file ? given : locationIn(error, file);
    const at = location ? `${location.file}:${location.line}:${location.column}: ` : `${file}: `;
    const details = error instanceof StepwiseError ? error.details : {};
    throw new StepwiseError(
      error instanceof StepwiseError ? error.code : 'pipeline_load_failed',
      `${at}${errorMessage(error)}`,
      { ...details, field: details.field ?? 'pipeline', ...(location ? { location } : {}) },
      { cause: error },
    );
  }
  return mod.exports;
}

/** The first stack frame of an error that lies in `file`, mapped to the source. */
export function locationIn(error: unknown, file: string): ErrorLocation | undefined {
  return locationInStack(error instanceof Error ? (error.stack ?? '') : '', file);
}

function withAbsoluteSources(definition: PipelineDefinition, dir: string): PipelineDefinition {
  const sources: Record<string, BronzeSource> = {};
  for (const [name, source] of Object.entries(definition.sources)) {
    sources[name] =
      isSourceSpec(source) && !isAbsolute(source.path)
        ? { ...source, path: resolve(dir, source.path) }
        : source;
  }
  return { ...definition, sources };
}
