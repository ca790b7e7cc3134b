// The in-memory ContextQueries against the shared contract (the ClickHouse implementation runs
// the same suite in its integration test).
import { InMemoryContextQueries } from './memory.js';
import { contextQueriesContract } from './testing/contract.js';

contextQueriesContract('in-memory', (data) => Promise.resolve(new InMemoryContextQueries(data)));
