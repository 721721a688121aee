/** The prefix of the lines the extension tests report; the workbench logs much else alongside. */
export const REPORT_MARKER = '[stepwise-e2e] ';
