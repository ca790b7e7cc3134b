// Authentication: API keys with scopes (ingest, read, write, admin).
export { KeyRing, hashKey, generateKey, allScopes, type Scope, type KeyInfo } from './keys.js';
