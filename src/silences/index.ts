// Silences' public surface: the pure matching rules and the input schema of the API.
export { silenceState, silenceMatches, silencesCovering, silenceEndMs, silenceMarks } from './silence.js';
export type { Silence, SilenceState, SilenceableIncident, SilenceMarks } from './silence.js';
export { silenceInputSchema, parseSilenceDuration, maxSilenceMs } from './config.js';
export type { SilenceInput, SilenceRequest } from './config.js';
