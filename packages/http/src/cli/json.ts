// Re-indents JSON token by token instead of parse-then-stringify, so the body is shown as served:
// numbers keep every digit (no float rounding of big ids), escapes and duplicate keys stay.

const TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|[{}[\],:]|\s+/gy;

const KEY = '\x1b[1;34m';
const STRING = '\x1b[32m';
const NUMBER = '\x1b[36m';
const LITERAL = '\x1b[35m';
const RESET = '\x1b[0m';

function paint(token: string, isKey: boolean): string {
  if (isKey) return `${KEY}${token}${RESET}`;
  const first = token.charAt(0);
  if (first === '"') return `${STRING}${token}${RESET}`;
  if (first === 't' || first === 'f' || first === 'n') return `${LITERAL}${token}${RESET}`;
  return `${NUMBER}${token}${RESET}`;
}

/**
 * JSON text indented by 2 spaces (the layout of `JSON.stringify(value, null, 2)`), with ANSI
 * colours when asked. Returns null when the text is not valid JSON, so the caller shows it as text.
 */
export function formatJson(text: string, color: boolean): string | null {
  try {
    JSON.parse(text);
  } catch {
    return null;
  }
  const tokens = (text.match(TOKEN) ?? []).filter((t) => t.trim() !== '');
  let out = '';
  let depth = 0;
  const newline = () => `\n${'  '.repeat(depth)}`;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    const next = tokens[i + 1];
    if (token === '{' || token === '[') {
      if (next === (token === '{' ? '}' : ']')) {
        out += token + next;
        i++;
        continue;
      }
      depth++;
      out += token + newline();
    } else if (token === '}' || token === ']') {
      depth--;
      out += newline() + token;
    } else if (token === ',') {
      out += `,${newline()}`;
    } else if (token === ':') {
      out += ': ';
    } else {
      out += color ? paint(token, next === ':') : token;
    }
  }
  return out;
}
