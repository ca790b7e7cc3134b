// What counts as a failed span in SQL: the same rule as the detectors' and the SLO engine's
// isFailedSpan (src/detect/red.ts), so a chart, a report and an alert never disagree on a request.
// An error status fails any span; a 5xx fails a server span (a client's or consumer's HTTP status
// describes someone else's answer).
export const failedSpanSql = `(status_code = 'error' OR (kind = 'server' AND http_status_code >= 500))`;
