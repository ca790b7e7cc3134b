// What the automatic all-clear waits for: the incident's symptoms, not the verdicts on deploys that
// merely stood beside its cause. A routine deploy that lands next to a fault fails its release watch
// on the fault's errors, and that verdict stands until the release engine proves the version back
// within bounds — at low traffic long after every symptom has recovered (25 min of 0.44% errors vs
// 0.43% before only ruled out 3×, not the 2× it needs) — or until the version is replaced.
import type { Signal } from '../model/index.js';
import { duration } from './format.js';
import type { Incident } from './types.js';

/** A failed-release verdict on a deploy the incident's top root cause does not blame. */
function isBystanderVerdict(incident: Incident, s: Signal): boolean {
  const top = incident.rootCauses[0];
  if (s.evidence.verdict !== 'fail' || s.change?.kind !== 'deploy' || !top) return false;
  return !(top.kind === 'bad-deploy' && top.service === s.subject.service);
}

/** Whether something still holds the incident open: a firing symptom, or a firing verdict when verdicts are all it has. */
export function stillFiring(incident: Incident): boolean {
  const symptoms = incident.signals.filter((s) => !isBystanderVerdict(incident, s));
  return (symptoms.length ? symptoms : incident.signals).some((s) => s.status === 'firing');
}

/** The all-clear's reason for the timeline, naming any verdict left standing. */
export function allClearText(incident: Incident, stableForMs: number): string {
  const n = incident.signals.length;
  const standing = incident.signals.filter((s) => s.status === 'firing');
  if (!standing.length) return `all ${n} signal${n === 1 ? '' : 's'} recovered and stable for ${duration(stableForMs)}`;
  const names = standing.map((s) => `${s.subject.service}${s.subject.version ? ` ${s.subject.version}` : ''}`).join(', ');
  const k = n - standing.length;
  return `${k} symptom${k === 1 ? '' : 's'} recovered and stable for ${duration(stableForMs)} (the failed release${standing.length === 1 ? '' : 's'} of ${names} still stand${standing.length === 1 ? 's' : ''}: ${standing.length === 1 ? 'a deploy' : 'deploys'} the root cause does not blame)`;
}
