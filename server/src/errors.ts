/**
 * The closed set of errors the language server reports to users, each with one factory, and the
 * one place that turns them into protocol errors the editor shows.
 */
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';

/** Every error code the server can raise to the user. */
export type ServerErrorCode = 'not_a_step_name' | 'invalid_step_name' | 'step_name_taken';

/** An error the user sees, with a stable code. */
export class ServerError extends Error {
  override readonly name = 'ServerError';

  constructor(
    readonly code: ServerErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Rename was asked for somewhere that is not a step name or a reference to one. */
export function notAStepName(): ServerError {
  return new ServerError(
    'not_a_step_name',
    'Only step names can be renamed here: put the cursor on the name of a step, or on a ' +
      'step name in sourceBronze or sourceSilvers.',
  );
}

/** A new step name that the engine would reject. */
export function invalidStepName(name: string, why: string): ServerError {
  return new ServerError(
    'invalid_step_name',
    `'${name}' cannot be a step name: ${why}. Choose another name.`,
  );
}

/** A new step name that another step of the same pipeline already has. */
export function stepNameTaken(name: string, file: string): ServerError {
  return new ServerError(
    'step_name_taken',
    `A step named '${name}' already exists in ${file}; step names must be unique. Choose ` +
      'another name.',
  );
}

/** The protocol error for a server error; other errors pass through unchanged. */
export function toResponseError(error: unknown): unknown {
  if (!(error instanceof ServerError)) {
    return error;
  }
  switch (error.code) {
    case 'not_a_step_name':
    case 'invalid_step_name':
    case 'step_name_taken':
      return new ResponseError(ErrorCodes.InvalidRequest, error.message);
  }
}
