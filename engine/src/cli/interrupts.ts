/**
 * Ctrl-C handling for a run: the first SIGINT aborts the run through its AbortSignal (the running
 * DuckDB query is interrupted and nothing half-written stays); a second one exits at once.
 */
import { ExitCode } from './errorView.js';

/** Listens for SIGINT until the returned function is called. */
export function cancelOnInterrupt(
  controller: AbortController,
  notify: (text: string) => void,
): () => void {
  const onSignal = (): void => {
    if (controller.signal.aborted) {
      process.exit(ExitCode.cancelled);
    }
    notify('Cancelling… press Ctrl-C again to stop at once.');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
  };
}
