// Errors of the incident engine, each with a stable code from docs/errors.md so the API edge maps
// them to a status without parsing messages.

export type IncidentErrorCode = 'VIGIL_ILLEGAL_TRANSITION' | 'VIGIL_NOT_FOUND';

export class IncidentError extends Error {
  constructor(
    readonly code: IncidentErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = new.target.name;
  }
}

export class IllegalTransitionError extends IncidentError {
  constructor(
    readonly incidentId: string,
    readonly from: string,
    readonly to: string,
  ) {
    super('VIGIL_ILLEGAL_TRANSITION', `incident ${incidentId} is ${from}; it cannot become ${to}${hint(from, to)}`);
  }
}

export class UnknownIncidentError extends IncidentError {
  constructor(readonly incidentId: string) {
    super('VIGIL_NOT_FOUND', `no incident ${incidentId}; list them with GET /api/v1/incidents?status=all`);
  }
}

function hint(from: string, to: string): string {
  if (from === to) return ' (it already is)';
  if (from === 'resolved') return ' (a resolved incident reopens by itself when its signals fire again)';
  return ` (allowed from ${from}: ${allowedFrom(from).join(', ') || 'nothing'})`;
}

function allowedFrom(from: string): string[] {
  const order = ['triggered', 'acknowledged', 'mitigated', 'resolved'];
  const i = order.indexOf(from);
  return i < 0 ? [] : order.slice(i + 1);
}
