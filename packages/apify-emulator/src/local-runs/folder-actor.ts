import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { EmulatorError } from '../errors.js';
import type { JsonObject } from '../types.js';

/** How a run of a folder actor starts its process. */
export interface FolderActor {
  /** The actor's folder (absolute): the process's working directory. */
  dir: string;
  /** argv of the process; a start script runs as `['/bin/sh', '-c', script]`. */
  command: string[];
  /** Shown in the run log and in errors. */
  commandText: string;
  /** `environmentVariables` of `.actor/actor.json`. */
  env: Record<string, string>;
}

/** What `.actor/actor.json` says, and the start command found next to it. */
export interface FolderDefinition {
  name: string;
  title: string | null;
  description: string | null;
  inputSchema: JsonObject | null;
  folder: FolderActor;
}

function invalid(message: string): EmulatorError {
  return new EmulatorError('invalid-actor-folder', message);
}

function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw invalid(`${what} ${path} cannot be read: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalid(`${what} ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `input` of actor.json: an inline schema or a path relative to `.actor/`; else `.actor/INPUT_SCHEMA.json`. */
function inputSchemaOf(actorDir: string, config: JsonObject): JsonObject | null {
  const input = config.input;
  if (isObject(input)) return input;
  const candidates =
    typeof input === 'string'
      ? [resolve(actorDir, input)]
      : [join(actorDir, 'INPUT_SCHEMA.json'), join(dirname(actorDir), 'INPUT_SCHEMA.json')];
  if (input !== undefined && typeof input !== 'string')
    throw invalid(`'input' in ${join(actorDir, 'actor.json')} must be a path or an input schema object`);
  for (const path of candidates) {
    if (existsSync(path)) {
      const schema = readJsonFile(path, 'The input schema');
      if (!isObject(schema)) throw invalid(`The input schema ${path} must be a JSON object`);
      return schema;
    }
  }
  if (typeof input === 'string') throw invalid(`The input schema ${candidates[0]} does not exist`);
  return null;
}

function environmentOf(path: string, config: JsonObject): Record<string, string> {
  const given = config.environmentVariables;
  if (given === undefined) return {};
  if (!isObject(given)) throw invalid(`'environmentVariables' in ${path} must be an object of strings`);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) {
    if (typeof value !== 'string')
      throw invalid(
        `Environment variable '${name}' in ${path} must be a string, got ${JSON.stringify(value)}`,
      );
    env[name] = value;
  }
  return env;
}

/**
 * The start command of a folder without a Dockerfile build: `scripts.start` of its package.json, run by
 * `/bin/sh` as npm would (with `node_modules/.bin` on PATH), but without npm in between.
 */
function startCommandOf(dir: string): { command: string[]; commandText: string; binDir: string } {
  const packageJson = join(dir, 'package.json');
  if (!existsSync(packageJson))
    throw invalid(`${dir} has no package.json: a folder actor starts with its 'scripts.start'`);
  const pkg = readJsonFile(packageJson, 'The package file');
  const start = isObject(pkg) && isObject(pkg.scripts) ? pkg.scripts.start : undefined;
  if (typeof start !== 'string' || start.trim() === '')
    throw invalid(`${packageJson} has no 'scripts.start': it is how the emulator starts a folder actor`);
  return { command: ['/bin/sh', '-c', start], commandText: start, binDir: join(dir, 'node_modules', '.bin') };
}

/**
 * Reads an actor folder: `.actor/actor.json` (name, title, description, input schema, environment
 * variables) and the start command. `command` (argv) replaces the start script, as `apify-emulator run --` does.
 */
export function readActorFolder(folder: string, command?: readonly string[]): FolderDefinition {
  if (typeof folder !== 'string' || folder === '') throw invalid('The actor folder must be a non-empty path');
  const dir = isAbsolute(folder) ? folder : resolve(folder);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw invalid(`The actor folder ${dir} does not exist`);
  const actorDir = join(dir, '.actor');
  const configPath = join(actorDir, 'actor.json');
  if (!existsSync(configPath)) throw invalid(`${dir} has no .actor/actor.json`);
  const config = readJsonFile(configPath, 'The actor definition');
  if (!isObject(config)) throw invalid(`${configPath} must be a JSON object`);
  if (typeof config.name !== 'string' || config.name === '')
    throw invalid(`${configPath} needs a 'name' (the actor's name, as on the platform)`);
  const text = (field: string): string | null => (typeof config[field] === 'string' ? config[field] : null);
  let start: { command: string[]; commandText: string; binDir: string | null };
  if (command !== undefined) {
    if (command.length === 0) throw invalid('The command to run is empty');
    start = {
      command: [...command],
      commandText: command.join(' '),
      binDir: join(dir, 'node_modules', '.bin'),
    };
  } else {
    start = startCommandOf(dir);
  }
  const env = environmentOf(configPath, config);
  if (start.binDir !== null && existsSync(start.binDir))
    env.PATH = `${start.binDir}:${env.PATH ?? process.env.PATH ?? ''}`;
  return {
    name: config.name,
    title: text('title'),
    description: text('description'),
    inputSchema: inputSchemaOf(actorDir, config),
    folder: { dir, command: start.command, commandText: start.commandText, env },
  };
}

/** A command without a folder definition (`apify-emulator run -- cmd` in a folder with no `.actor/`). */
export function commandActor(dir: string, command: readonly string[]): FolderActor {
  if (command.length === 0) throw invalid('The command to run is empty');
  const binDir = join(dir, 'node_modules', '.bin');
  const env: Record<string, string> = {};
  if (existsSync(binDir)) env.PATH = `${binDir}:${process.env.PATH ?? ''}`;
  return { dir, command: [...command], commandText: command.join(' '), env };
}

/** The input a console user starts with: each property's `prefill`, else its `default`. */
export function prefilledInput(schema: JsonObject | null): JsonObject {
  const input: JsonObject = {};
  const properties = schema?.properties;
  if (!isObject(properties)) return input;
  for (const [name, property] of Object.entries(properties)) {
    if (!isObject(property)) continue;
    if (property.prefill !== undefined) input[name] = structuredClone(property.prefill);
    else if (property.default !== undefined) input[name] = structuredClone(property.default);
  }
  return input;
}
