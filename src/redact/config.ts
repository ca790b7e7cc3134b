// The `redaction:` section of vigil.yaml. Custom regexes are checked here, at start-up, so a
// pattern that does not compile, matches nothing but the empty string or may backtrack
// catastrophically stops Vigil with its file, line and key instead of stalling ingest later.
import safeRegex from 'safe-regex2';
import { z } from 'zod';
import { keyWords } from './keys.js';

/** Longest custom regex accepted: long patterns are where accidental backtracking hides. */
export const MAX_REGEX_LENGTH = 500;
export const REDACTED = '[REDACTED]';

const regexSource = z
  .string()
  .min(1)
  .max(MAX_REGEX_LENGTH, `a redaction regex is at most ${MAX_REGEX_LENGTH} characters`)
  .superRefine((source, ctx) => {
    let compiled: RegExp;
    try {
      compiled = new RegExp(source, 'u');
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `not a valid regular expression (${(err as Error).message})` });
      return;
    }
    if (compiled.test('')) ctx.addIssue({ code: 'custom', message: 'the regex matches the empty string: it would insert the replacement everywhere' });
    else if (!safeRegex(source))
      ctx.addIssue({
        code: 'custom',
        message: 'the regex may backtrack catastrophically (a repeated group that itself repeats, e.g. (a+)+): rewrite it without nested quantifiers',
      });
  });

export const redactionConfigSchema = z
  .object({
    /** Off: telemetry is stored exactly as sent. */
    enabled: z.boolean().default(true),
    /** The built-in key and value rules (docs/security.md lists them); false keeps only yours. */
    defaults: z.boolean().default(true),
    /** Extra secret keys: each matches attribute keys holding its words in a row (credit_card: payment.creditCard.number). */
    keys: z
      .array(
        z
          .string()
          .max(100)
          .refine((k) => keyWords(k).length > 0, 'a key pattern needs at least one letter or digit'),
      )
      .default([]),
    /** Extra value rules: each match inside any attribute value, log body or message is replaced. */
    patterns: z
      .array(
        z
          .object({
            name: z.string().min(1).max(64),
            regex: regexSource,
            /** May use the regex's groups ($1); default [REDACTED]. */
            replacement: z.string().max(200).default(REDACTED),
            ignoreCase: z.boolean().default(false),
          })
          .strict(),
      )
      .default([]),
    /** Replace every email address by email:<16 hex of HMAC-SHA256>, stable across restarts. */
    hashEmails: z.boolean().default(false),
    /** The HMAC key for hashEmails; default a random one kept in DATA/redaction-salt (0600). */
    emailSalt: z.string().min(16).optional(),
  })
  .strict();

export type RedactionConfig = z.output<typeof redactionConfigSchema>;
export type RedactionPattern = RedactionConfig['patterns'][number];
