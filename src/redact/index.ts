// The redaction module's public surface: secrets removed from telemetry before anything is
// written (the ingest sink is wrapped in server.ts), configured by the `redaction:` section.
export { MAX_REGEX_LENGTH, REDACTED, redactionConfigSchema, type RedactionConfig, type RedactionPattern } from './config.js';
export { keyWords } from './keys.js';
export { Redactor, type RedactorOptions } from './redactor.js';
export { loadOrCreateSalt, openRedactor, redactingSink, SALT_FILE } from './open.js';
