// `${NAME}` in vigil.yaml values is replaced from the environment before validation, so secrets
// (routing keys, webhook URLs, SMTP passwords) stay out of the file. It works on the parsed
// document, so a problem names its line; messages name the variable, never a value.
import { isPair, isScalar, isSeq, visit, type Document, type LineCounter } from 'yaml';

export interface SubstitutionProblem {
  line: number;
  key: string;
  message: string;
}

/** `$${` is a literal `${`; `${NAME}` and `${NAME:-fallback}` (fallback when unset or empty). */
const reference = /\$\$\{|\$\{([^}]*)\}/g;
const variableName = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;
/** What YAML would read from the same unquoted text: numbers and booleans. */
const yamlNumber = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Replaces references in every scalar value (not keys) in place. An unquoted value that is one
 * whole reference is read as YAML reads text (`port: ${PORT}` gives a number); quote it to keep a
 * string (`routingKey: "${PD_KEY}"`).
 */
export function substituteEnv(doc: Document, counter: LineCounter, env: Env): SubstitutionProblem[] {
  const problems: SubstitutionProblem[] = [];
  visit(doc, {
    Scalar(key, node, path) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('${')) return;
      const where = { line: node.range ? counter.linePos(node.range[0]).line : 0, key: keyPath(path, node) };
      const original = node.value;
      const text = original.replace(reference, (match, inner: string | undefined) => {
        if (match === '$${') return '${';
        const m = variableName.exec(inner ?? '');
        if (!m?.[1]) {
          problems.push({
            ...where,
            message: `"\${${inner ?? ''}}" is not an environment reference: use \${NAME} or \${NAME:-default}, or $\${ for a literal \${`,
          });
          return match;
        }
        const value = env[m[1]];
        if (value !== undefined && (value !== '' || m[2] === undefined)) return value;
        if (m[2] !== undefined) return m[2];
        problems.push({ ...where, message: `environment variable ${m[1]} is not set (write \${${m[1]}:-default} for a fallback)` });
        return '';
      });
      const whole = /^\$\{[^}]*\}$/.test(original);
      node.value = whole && node.type === 'PLAIN' ? typed(text) : text;
    },
  });
  return problems;
}

function typed(text: string): string | number | boolean {
  if (yamlNumber.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

/** `notify.channels.0.url`, the dotted path the schema's problems use too. */
function keyPath(ancestors: readonly unknown[], node: unknown): string {
  const parts: string[] = [];
  const chain = [...ancestors, node];
  chain.forEach((a, i) => {
    const next = chain[i + 1];
    if (isPair(a) && next === a.value) parts.push(String(isScalar(a.key) ? a.key.value : a.key));
    else if (isSeq(a)) parts.push(String(a.items.indexOf(next)));
  });
  return parts.join('.');
}
