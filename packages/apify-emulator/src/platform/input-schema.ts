import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { ApiError } from '../errors.js';
import type { JsonObject } from '../types.js';

/**
 * Apify input schemas are JSON Schema plus UI keywords (`editor`, `prefill`, `sectionCaption`...):
 * strict mode would reject those keywords, so it is off; the validation keywords behave as in JSON Schema.
 */
const ajv = new Ajv({ strict: false, allErrors: true });
const compiled = new WeakMap<JsonObject, ValidateFunction>();

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Fails on a schema that is not an object schema or that ajv cannot compile (the platform refuses such builds). */
export function checkInputSchema(schema: unknown, where: string): JsonObject {
  if (!isJsonObject(schema) || schema.type !== 'object') {
    throw new ApiError(
      400,
      'invalid-input-schema',
      `${where}: the input schema must be an object with type "object"`,
    );
  }
  try {
    compiled.set(schema, ajv.compile(schema));
  } catch (error) {
    throw new ApiError(400, 'invalid-input-schema', `${where}: ${(error as Error).message}`);
  }
  return schema;
}

function describe(error: ErrorObject): string {
  const path = error.instancePath.replace(/^\//, '').replaceAll('/', '.');
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    return `Field input.${path ? `${path}.` : ''}${missing} is required`;
  }
  return `Field input${path ? `.${path}` : ''} ${error.message ?? 'is not valid'}`;
}

/** Throws `400 invalid-input` naming every field that breaks the schema, as the platform does before a run. */
export function validateInput(schema: JsonObject, input: unknown): void {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(input)) return;
  const reasons = (validate.errors ?? []).map(describe);
  throw new ApiError(400, 'invalid-input', `Input is not valid: ${reasons.join('; ')}`);
}

/** The platform fills properties the caller left out with the schema's `default` values (not `prefill`). */
export function withDefaults(schema: JsonObject, input: JsonObject): JsonObject {
  const properties = isJsonObject(schema.properties) ? schema.properties : {};
  const filled: JsonObject = {};
  for (const [name, property] of Object.entries(properties)) {
    if (isJsonObject(property) && property.default !== undefined)
      filled[name] = structuredClone(property.default);
  }
  return { ...filled, ...input };
}

const SCHEMA_FILES = ['.actor/input_schema.json', '.actor/INPUT_SCHEMA.json', 'INPUT_SCHEMA.json'];

interface SourceFile {
  name: string;
  format: string;
  content: string;
}

function fileText(file: SourceFile): string {
  return file.format === 'BASE64' ? Buffer.from(file.content, 'base64').toString('utf8') : file.content;
}

function parseFile(file: SourceFile): unknown {
  try {
    return JSON.parse(fileText(file));
  } catch (error) {
    throw new ApiError(
      400,
      'invalid-input-schema',
      `${file.name} is not valid JSON: ${(error as Error).message}`,
    );
  }
}

/**
 * Where a source-files version keeps its input schema, as the platform's build reads it: `.actor/actor.json`'s
 * `input` (inline object or path to a file), else `.actor/input_schema.json`, `.actor/INPUT_SCHEMA.json`,
 * `INPUT_SCHEMA.json`. Null when the version has none.
 */
export function inputSchemaFromSourceFiles(files: readonly SourceFile[]): JsonObject | null {
  const byName = new Map(files.map((f) => [f.name.replace(/^\.\//, ''), f]));
  const actorJson = byName.get('.actor/actor.json');
  if (actorJson !== undefined) {
    const definition = parseFile(actorJson);
    const input = isJsonObject(definition) ? definition.input : undefined;
    if (isJsonObject(input)) return checkInputSchema(input, '.actor/actor.json');
    if (typeof input === 'string') {
      const path = `.actor/${input}`.replace(/\/\.\//g, '/').replace(/^\.actor\/\.\.\//, '');
      const file = byName.get(path);
      if (file === undefined)
        throw new ApiError(
          400,
          'invalid-input-schema',
          `.actor/actor.json points to '${input}', which is not among the source files`,
        );
      return checkInputSchema(parseFile(file), file.name);
    }
  }
  for (const name of SCHEMA_FILES) {
    const file = byName.get(name);
    if (file !== undefined) return checkInputSchema(parseFile(file), name);
  }
  return null;
}
