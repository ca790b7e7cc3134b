// Log intelligence, pure part: online template mining and exception fingerprints. Other modules
// import only from here.
export { WILDCARD, isParameter, renderTokens, tokenizeMessage } from './tokenize.js';
export type { TokenizedMessage } from './tokenize.js';
export { createTemplateMiner, restoreTemplateMiner } from './templateMiner.js';
export type { MinedTemplate, TemplateMatch, TemplateMiner, TemplateMinerOptions, TemplateMinerSnapshot } from './templateMiner.js';
export { templateIdOf } from './templateId.js';
export { mineLines } from './mineLines.js';
export type { LineAssignment, MineLinesOptions } from './mineLines.js';
export { exceptionFingerprint, exceptionGroupKey, normaliseExceptionMessage } from './exceptionFingerprint.js';
export type { ExceptionGroupKey, ExceptionInput, FingerprintOptions } from './exceptionFingerprint.js';
export { parseStackFrames } from './stackFrames.js';
export type { StackFrame } from './stackFrames.js';
export { parseTemplateMinerSnapshot } from './snapshotSchema.js';
