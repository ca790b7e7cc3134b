// Parses stack traces of the common runtimes (Node/V8, Java/Kotlin, Python, Go, .NET, Ruby) into
// frames normalised for grouping: no line or column numbers, no deploy-specific path prefixes or
// build hashes, and a flag for library frames (node_modules, site-packages, JDK …) so that grouping
// can rely on the application's own code first.

export interface StackFrame {
  /** Function or method name, '' when the runtime gave none. */
  fn: string;
  /** The last two path segments without extension, e.g. `orders/service`. */
  file: string;
  /** True for application code, false for libraries and the runtime itself. */
  inApp: boolean;
}

const V8_FRAME = /^\s*at (?:async )?(?:(.*?) \((.*?)\)|(.*))\s*$/;
const JAVA_FRAME = /^\s*at ([\w$.<>/]+)\(([^)]*)\)\s*$/;
const DOTNET_FRAME = /^\s*at ([^(]+)\([^)]*\)(?: in (.*?)(?::line \d+)?)?\s*$/;
const PYTHON_FRAME = /^\s*File "([^"]+)", line \d+(?:, in (.+))?\s*$/;
const RUBY_FRAME = /^\s*(?:from )?([^:\s]+\.rb):\d+:in [`'](.+)'\s*$/;
const GO_FUNCTION = /^(\S+)\([^()]*\)\s*$/;
const GO_LOCATION = /^\s+(\S+\.go):\d+/;

const LIBRARY_PATHS = [
  'node_modules/',
  'node:',
  'internal/',
  'site-packages/',
  'dist-packages/',
  '/lib/python',
  '/gems/',
  '/usr/local/go/',
  '/go/pkg/mod/',
  'GOROOT',
];
const LIBRARY_PACKAGES = ['java.', 'javax.', 'jdk.', 'sun.', 'com.sun.', 'kotlin.', 'kotlinx.', 'scala.', 'System.', 'Microsoft.', 'runtime.'];

/** Line and column numbers, hashes and versions change with every build; the shape does not. */
function normaliseFile(path: string): string {
  const withoutLocation = path.replace(/(:\d+)+$/, '').replace(/[?#].*$/, '');
  const segments = withoutLocation.split(/[\\/]/).filter((s) => s.length > 0);
  const tail = segments.slice(-2).join('/');
  return tail
    .replace(/\.[A-Za-z0-9]+$/, '')
    .replace(/[.-][0-9a-f]{6,}(?=\.|$)/gi, '')
    .replace(/\d+/g, '#');
}

function normaliseFunction(fn: string): string {
  return fn
    .replace(/^[\w.]+\//, '')
    .replace(/\$\$Lambda\$[^.(]*/g, '$$Lambda')
    .replace(/lambda\$(\w+?)\$\d+/g, 'lambda$$$1')
    .replace(/0x[0-9a-f]+/gi, '')
    .replace(/\$\d+/g, '$')
    .trim();
}

function isLibrary(file: string, fn: string): boolean {
  if (file === '<anonymous>' || file === 'native' || file.startsWith('<')) return true;
  return LIBRARY_PATHS.some((p) => file.includes(p)) || (file === '' && LIBRARY_PACKAGES.some((p) => fn.startsWith(p)));
}

function frame(fn: string, rawFile: string): StackFrame {
  return { fn: normaliseFunction(fn), file: normaliseFile(rawFile), inApp: !isLibrary(rawFile, fn) };
}

function parseLine(line: string, next: string | undefined): StackFrame | undefined {
  let m = JAVA_FRAME.exec(line);
  if (m && /\.(java|kt|scala|groovy)|Native Method|Unknown Source/.test(m[2] ?? '')) {
    const fn = m[1] ?? '';
    const library = LIBRARY_PACKAGES.some((p) => fn.startsWith(p));
    return { fn: normaliseFunction(fn), file: normaliseFile(m[2] ?? ''), inApp: !library };
  }
  m = PYTHON_FRAME.exec(line);
  if (m) return frame(m[2] ?? '', m[1] ?? '');
  m = RUBY_FRAME.exec(line);
  if (m) return frame(m[2] ?? '', m[1] ?? '');
  m = DOTNET_FRAME.exec(line);
  if (m && m[2] !== undefined)
    return { fn: normaliseFunction(m[1] ?? ''), file: normaliseFile(m[2]), inApp: !LIBRARY_PACKAGES.some((p) => (m?.[1] ?? '').startsWith(p)) };
  m = V8_FRAME.exec(line);
  if (m) {
    if (m[2] !== undefined) return frame(m[1] ?? '', m[2]);
    const location = m[3] ?? '';
    if (/[/\\:]/.test(location)) return frame('', location);
    // .NET frames without a file: "at Namespace.Type.Method(args)".
    const fn = location.replace(/\(.*\)$/, '');
    return { fn: normaliseFunction(fn), file: '', inApp: !LIBRARY_PACKAGES.some((p) => fn.startsWith(p)) };
  }
  const go = GO_FUNCTION.exec(line);
  const goLocation = next === undefined ? null : GO_LOCATION.exec(next);
  if (go && goLocation) return frame(go[1] ?? '', goLocation[1] ?? '');
  return undefined;
}

/** The frames of a stack trace, innermost first as runtimes print them (Python's are reversed). */
export function parseStackFrames(stacktrace: string): StackFrame[] {
  const lines = stacktrace.split(/\r?\n/);
  const frames: StackFrame[] = [];
  for (let i = 0; i < lines.length; i++) {
    const f = parseLine(lines[i] ?? '', lines[i + 1]);
    if (f) frames.push(f);
  }
  // Python prints the outermost call first ("most recent call last").
  if (/Traceback \(most recent call last\)/.test(stacktrace)) frames.reverse();
  return frames;
}
