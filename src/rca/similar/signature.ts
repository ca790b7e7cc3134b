// An incident's signature: the sets that identify "the same problem again" (services, signal
// kinds, exception fingerprints, log templates, root cause), independent of when it happened.

import type { IncidentSignature, RootCause, Signal } from '../../model/index.js';

export type { IncidentSignature };

/** What a signature is computed from: any incident shape with signals and ranked causes. */
export interface IncidentLike {
  services?: readonly string[];
  signals: ReadonlyArray<Pick<Signal, 'kind' | 'subject'>>;
  rootCauses?: ReadonlyArray<Pick<RootCause, 'service' | 'kind'>>;
}

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].filter((v) => v !== '').sort();

export function incidentSignature(incident: IncidentLike): IncidentSignature {
  const top = incident.rootCauses?.[0];
  return {
    services: sorted([...(incident.services ?? []), ...incident.signals.flatMap((s) => [s.subject.service, s.subject.peer ?? ''])]),
    signalKinds: sorted(incident.signals.map((s) => s.kind)),
    fingerprints: sorted(incident.signals.map((s) => s.subject.fingerprint ?? '')),
    templates: sorted(incident.signals.map((s) => s.subject.patternId ?? s.subject.pattern ?? '')),
    rootCause: top ? `${top.service}:${top.kind}` : '',
    rootCauseKind: top?.kind ?? '',
  };
}
