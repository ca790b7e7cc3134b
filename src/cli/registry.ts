// Every CLI command, loaded lazily so `vigil patterns` does not pay for the server's imports.
// A new command is a new file in commands/ plus one entry here.
import type { Command } from './command.js';

export const commands: Record<string, () => Promise<Command>> = {
  start: async () => (await import('./commands/start.js')).startCommand,
  deploy: async () => (await import('./commands/deploy.js')).deployCommand,
  incidents: async () => (await import('./commands/incidents.js')).incidentsCommand,
  replay: async () => (await import('./commands/replay.js')).replayCommand,
  patterns: async () => (await import('./commands/patterns.js')).patternsCommand,
  backtest: async () => (await import('./commands/backtest.js')).backtestCommand,
  demo: async () => (await import('./commands/demo.js')).demoCommand,
  drill: async () => (await import('./commands/drill.js')).drillCommand,
  coverage: async () => (await import('./commands/coverage.js')).coverageCommand,
  report: async () => (await import('./commands/report.js')).reportCommand,
  notify: async () => (await import('./commands/notify.js')).notifyCommand,
  checks: async () => (await import('./commands/checks.js')).checksCommand,
};
