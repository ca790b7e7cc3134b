// Exception grouping: one stable fingerprint per bug, whatever ids, numbers, line numbers or
// deploy paths appear in a given occurrence, so "new exception" and "new since release X" count
// bugs rather than occurrences.
import { createHash } from 'node:crypto';
import type { StackFrame } from './stackFrames.js';
import { parseStackFrames } from './stackFrames.js';
import { renderTokens, tokenizeMessage } from './tokenize.js';

export interface ExceptionInput {
  type: string;
  message: string;
  stacktrace: string;
}

export interface ExceptionGroupKey {
  /** `X` + 16 hex chars; equal for occurrences of the same bug. */
  fingerprint: string;
  type: string;
  /** The message with its parameters masked, for display beside the group. */
  message: string;
  /** The frames that went into the fingerprint, as `function@file`. */
  frames: string[];
}

export interface FingerprintOptions {
  /** Frames used, from the innermost. Default 5. */
  frames?: number;
}

const QUOTED = /"[^"]*"|'[^']*'|`[^`]*`/g;

/** Masks the parameters of an exception message; quoted text in a message is a value too. */
export function normaliseExceptionMessage(message: string): string {
  const firstLine = message.split(/\r?\n/, 1)[0] ?? '';
  const t = tokenizeMessage(firstLine.replace(QUOTED, '<*>'));
  return renderTokens(t.tokens, t.spaceBefore);
}

/**
 * In-app frames decide; library frames count only when there are no in-app frames, because the
 * path through a framework varies with load and version while the application frames locate the bug.
 */
function significantFrames(frames: StackFrame[], limit: number): StackFrame[] {
  const inApp = frames.filter((f) => f.inApp);
  return (inApp.length > 0 ? inApp : frames).slice(0, limit);
}

export function exceptionGroupKey(input: ExceptionInput, options: FingerprintOptions = {}): ExceptionGroupKey {
  const type = input.type.trim();
  const message = normaliseExceptionMessage(input.message);
  const frames = significantFrames(parseStackFrames(input.stacktrace), options.frames ?? 5).map((f) => `${f.fn}@${f.file}`);
  const material = [type, message, ...frames].join('\n');
  const fingerprint = 'X' + createHash('sha256').update(material).digest('hex').slice(0, 16);
  return { fingerprint, type, message, frames };
}

/** The fingerprint of an exception: type + normalised message + top in-app frames. */
export function exceptionFingerprint(input: ExceptionInput, options: FingerprintOptions = {}): string {
  return exceptionGroupKey(input, options).fingerprint;
}
