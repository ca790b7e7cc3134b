// The facts production confidence is judged from, gathered by an adapter (pipeline/
// confidence-service.ts) so the judgement itself stays a pure function of them and the time.
import type { Severity } from '../model/index.js';

export type ConfidenceLevel = 'high' | 'medium' | 'low';

export interface SloFact {
  name: string;
  status: 'ok' | 'warning' | 'breaching';
  errorBudgetRemaining: number;
  forecast: string;
}

export interface VerdictFact {
  version: string;
  status: 'watching' | 'pass' | 'fail' | 'inconclusive';
  summary: string;
}

export interface IncidentFact {
  id: string;
  severity: Severity;
  status: 'triggered' | 'acknowledged' | 'mitigated' | 'resolved';
  title: string;
}

export interface ChangeFact {
  kind: string;
  version?: string;
  timeMs: number;
  description?: string;
}

export interface ServiceFacts {
  service: string;
  slos: SloFact[];
  /** The latest deployment's release verdict; undefined when release verdicts are unavailable or none exists. */
  verdict?: VerdictFact;
  /** Open incidents that involve the service. */
  openIncidents: IncidentFact[];
  /** Deploys and config/flag/infra changes of the service, any age (only the last hour counts). */
  changes: ChangeFact[];
  coverage: { traces: boolean; checks: boolean };
}

export interface Confidence {
  service: string;
  level: ConfidenceLevel;
  score: number;
  /** Plain-language reasons, most important first; what lowered the score and what vouches for it. */
  reasons: string[];
  /** The same, as numbers: each factor and how many points it moved the score. */
  factors: Array<{ factor: string; points: number; detail: string }>;
}
