import { ApiError } from '../../errors.js';

/** The variables a payload or headers template may use, as on the platform. */
export const TEMPLATE_VARIABLES = [
  'userId',
  'createdAt',
  'eventType',
  'eventData',
  'resource',
  'globals',
] as const;

export type TemplateContext = Record<(typeof TEMPLATE_VARIABLES)[number], unknown>;

/** The payload sent when a webhook has no `payloadTemplate`. */
export const DEFAULT_PAYLOAD_TEMPLATE = `{
    "userId": {{userId}},
    "createdAt": {{createdAt}},
    "eventType": {{eventType}},
    "eventData": {{eventData}},
    "resource": {{resource}}
}`;

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

const VARIABLE = /\{\{\s*([^{}]*?)\s*\}\}/g;
const WHOLE_VARIABLE = /^\{\{\s*([^{}]*?)\s*\}\}$/;

/** `resource.id` → the value at that path; a missing property is null, an unknown root an error. */
function resolve(path: string, context: TemplateContext): unknown {
  const [root, ...rest] = path.split('.');
  if (!(TEMPLATE_VARIABLES as readonly string[]).includes(root ?? '')) {
    throw new TemplateError(
      `Unknown variable '{{${path}}}': use one of ${TEMPLATE_VARIABLES.join(', ')} (with .property paths)`,
    );
  }
  let value: unknown = context[root as keyof TemplateContext];
  for (const key of rest) {
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value ?? null;
}

function asJson(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

/** Where a variable sits inside a longer string, it becomes its text: strings as they are, others as JSON. */
function asText(value: unknown): string {
  return typeof value === 'string' ? value : asJson(value);
}

/** The end index (exclusive) of the JSON string literal opening at `start`. */
function stringEnd(template: string, start: number): number {
  for (let i = start + 1; i < template.length; i++) {
    if (template[i] === '\\') i++;
    else if (template[i] === '"') return i + 1;
  }
  throw new TemplateError(`Unterminated string starting at character ${start}`);
}

/**
 * Renders a platform template: JSON whose values may be `{{variable}}`, replaced by the variable's JSON.
 * With `interpolateStrings`, variables inside string literals are replaced too: a string that is only
 * the variable becomes its value, a longer one gets the value's text. The result must be valid JSON.
 */
export function renderTemplate(
  template: string,
  context: TemplateContext,
  interpolateStrings: boolean,
): unknown {
  let out = '';
  let i = 0;
  while (i < template.length) {
    if (template[i] === '"') {
      const end = stringEnd(template, i);
      const literal = template.slice(i, end);
      out += interpolateStrings ? interpolateLiteral(literal, context) : literal;
      i = end;
    } else if (template.startsWith('{{', i)) {
      const close = template.indexOf('}}', i + 2);
      if (close === -1) throw new TemplateError(`Unclosed '{{' at character ${i}`);
      out += asJson(resolve(template.slice(i + 2, close).trim(), context));
      i = close + 2;
    } else {
      out += template[i];
      i++;
    }
  }
  try {
    return JSON.parse(out);
  } catch (error) {
    throw new TemplateError(
      `The template is not valid JSON once its variables are replaced: ${(error as Error).message}`,
    );
  }
}

function interpolateLiteral(literal: string, context: TemplateContext): string {
  const inner = literal.slice(1, -1);
  const whole = WHOLE_VARIABLE.exec(inner);
  if (whole) return asJson(resolve(whole[1] ?? '', context));
  return `"${inner.replace(VARIABLE, (_match, path: string) => JSON.stringify(asText(resolve(path, context))).slice(1, -1))}"`;
}

const SAMPLE_CONTEXT: TemplateContext = {
  userId: 'u',
  createdAt: '2026-01-01T00:00:00.000Z',
  eventType: 'ACTOR.RUN.SUCCEEDED',
  eventData: {},
  resource: {},
  globals: {},
};

/** Checks a template when a webhook is saved, so a broken one is refused instead of failing every dispatch. */
export function checkTemplate(field: string, template: string, interpolateStrings: boolean): void {
  try {
    const rendered = renderTemplate(template, SAMPLE_CONTEXT, interpolateStrings);
    if (
      field === 'headersTemplate' &&
      (typeof rendered !== 'object' || rendered === null || Array.isArray(rendered))
    )
      throw new TemplateError('The headers template must render to a JSON object');
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    throw new ApiError(400, 'invalid-value', `Webhook ${field} is invalid: ${error.message}`);
  }
}

/** The headers a headers template renders to: an object of strings, as the platform requires. */
export function renderHeaders(
  template: string,
  context: TemplateContext,
  interpolateStrings: boolean,
): Record<string, string> {
  const rendered = renderTemplate(template, context, interpolateStrings);
  if (typeof rendered !== 'object' || rendered === null || Array.isArray(rendered))
    throw new TemplateError('The headers template must render to a JSON object');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(rendered)) {
    if (typeof value !== 'string')
      throw new TemplateError(
        `Header '${name}' of the headers template must be a string, got ${asJson(value)}`,
      );
    headers[name] = value;
  }
  return headers;
}
