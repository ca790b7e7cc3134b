// TypeScript → JavaScript for journey files, with the compiler users already write journeys for
// (`typescript`, a runtime dependency: pure JS, no native binary, and its parser also places
// definition errors on lines). Types are stripped, not checked: a journey runs like a test file.
// An inline source map keeps stack traces (and so failure locations) on the .ts lines.
import { createRequire } from 'node:module';
import type * as TS from 'typescript';

export interface TranspileResult {
  code: string;
  /** Syntax errors with their 1-based line. */
  errors: Array<{ line: number; message: string }>;
}

let compiler: typeof TS | undefined;
/**
 * Loaded on first use: only a directory with journeys pays for the compiler (~0.3 s of CPU). Through
 * `require`: an ESM import of this 9 MB CommonJS file first scans it for export names (~1 s more).
 */
export const typescript = (): typeof TS => (compiler ??= createRequire(import.meta.url)('typescript') as typeof TS);

export function transpileJourney(ts: typeof TS, source: string, fileName: string): TranspileResult {
  const out = ts.transpileModule(source, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      inlineSourceMap: true,
      inlineSources: true,
      isolatedModules: true,
    },
  });
  const errors = (out.diagnostics ?? [])
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => ({
      line: d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0,
      message: ts.flattenDiagnosticMessageText(d.messageText, ' '),
    }));
  return { code: out.outputText, errors };
}

/** Journey files: TypeScript ones are transpiled, JavaScript ones imported as they are. */
export const journeyFilePattern = /\.journey\.(ts|mts|js|mjs)$/i;
export const isTypeScript = (path: string): boolean => /\.m?ts$/i.test(path);
