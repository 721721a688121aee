/** Entry point of the Stepwise debug adapter: speaks the debug adapter protocol on stdio. */
import { StepwiseDebugSession } from './session.js';

StepwiseDebugSession.run(StepwiseDebugSession);
