import { ApiError, notFound } from '../errors.js';
import type { JsonObject } from '../types.js';
import { isJsonObject } from './input-schema.js';

export interface EnvVar {
  name: string;
  value: string;
  isSecret: boolean;
}

export type SourceType = 'SOURCE_FILES' | 'GIT_REPO' | 'TARBALL' | 'GITHUB_GIST';

export interface ActorVersion {
  versionNumber: string;
  sourceType: SourceType;
  buildTag: string;
  applyEnvVarsToBuild: boolean;
  envVars: EnvVar[];
  sourceFiles: { name: string; format: 'TEXT' | 'BASE64'; content: string }[];
  /** `gitRepoUrl`, `tarballUrl` or `gitHubGistUrl`, by source type. */
  sourceUrl: string | null;
}

const SOURCE_URL_FIELD: Record<SourceType, string | null> = {
  SOURCE_FILES: null,
  GIT_REPO: 'gitRepoUrl',
  TARBALL: 'tarballUrl',
  GITHUB_GIST: 'gitHubGistUrl',
};
const VERSION_NUMBER = /^\d{1,4}\.\d{1,4}$/;
const ENV_VAR_NAME = /^[a-zA-Z_][a-zA-Z0-9_]{0,99}$/;

function invalid(message: string): ApiError {
  return new ApiError(400, 'invalid-value', message);
}

export function defaultVersion(): ActorVersion {
  return {
    versionNumber: '0.0',
    sourceType: 'SOURCE_FILES',
    buildTag: 'latest',
    applyEnvVarsToBuild: false,
    envVars: [],
    sourceFiles: [],
    sourceUrl: null,
  };
}

export function parseEnvVar(body: unknown, base?: EnvVar): EnvVar {
  if (!isJsonObject(body)) throw invalid('The environment variable must be a JSON object');
  const name = body.name ?? base?.name;
  if (typeof name !== 'string' || !ENV_VAR_NAME.test(name)) {
    throw invalid(
      `Environment variable name ${JSON.stringify(name)} is invalid: use letters, digits and '_', not starting with a digit`,
    );
  }
  const value = body.value ?? base?.value;
  if (typeof value !== 'string') throw invalid(`Environment variable '${name}' needs a string value`);
  const isSecret = body.isSecret ?? base?.isSecret ?? false;
  if (typeof isSecret !== 'boolean') throw invalid(`isSecret of '${name}' must be a boolean`);
  // Once secret, always secret: the platform never turns a secret back into a readable variable.
  return { name, value, isSecret: isSecret || base?.isSecret === true };
}

function parseSourceFiles(raw: unknown): ActorVersion['sourceFiles'] {
  if (!Array.isArray(raw)) throw invalid('sourceFiles must be an array');
  return raw.map((file, i) => {
    if (!isJsonObject(file) || typeof file.name !== 'string' || file.name === '')
      throw invalid(`sourceFiles[${i}] needs a name`);
    const format = file.format ?? 'TEXT';
    if (format !== 'TEXT' && format !== 'BASE64')
      throw invalid(`sourceFiles[${i}].format must be TEXT or BASE64`);
    if (typeof file.content !== 'string') throw invalid(`sourceFiles[${i}].content must be a string`);
    return { name: file.name, format, content: file.content };
  });
}

/** A version from a create (no base) or update (fields given replace the base's) body. */
export function parseVersion(body: unknown, base?: ActorVersion): ActorVersion {
  if (!isJsonObject(body)) throw invalid('The version must be a JSON object');
  const versionNumber = body.versionNumber ?? base?.versionNumber;
  if (typeof versionNumber !== 'string' || !VERSION_NUMBER.test(versionNumber))
    throw invalid(`versionNumber ${JSON.stringify(versionNumber)} must look like MAJOR.MINOR, e.g. "0.1"`);
  if (base !== undefined && versionNumber !== base.versionNumber)
    throw invalid(`versionNumber cannot change (from '${base.versionNumber}' to '${versionNumber}')`);
  const sourceType = body.sourceType ?? base?.sourceType;
  if (typeof sourceType !== 'string' || !(sourceType in SOURCE_URL_FIELD))
    throw invalid(
      `sourceType ${JSON.stringify(sourceType)} must be one of ${Object.keys(SOURCE_URL_FIELD).join(', ')}`,
    );
  const type = sourceType as SourceType;
  const urlField = SOURCE_URL_FIELD[type];
  let sourceUrl: string | null = null;
  if (urlField !== null) {
    const url = body[urlField] ?? (base?.sourceType === type ? base.sourceUrl : undefined);
    if (typeof url !== 'string' || url === '') throw invalid(`A ${type} version needs ${urlField}`);
    sourceUrl = url;
  }
  const buildTag = body.buildTag ?? base?.buildTag ?? 'latest';
  if (typeof buildTag !== 'string' || buildTag === '') throw invalid('buildTag must be a non-empty string');
  const apply = body.applyEnvVarsToBuild ?? base?.applyEnvVarsToBuild ?? false;
  if (typeof apply !== 'boolean') throw invalid('applyEnvVarsToBuild must be a boolean');
  let envVars = base?.envVars ?? [];
  if (body.envVars !== undefined) {
    if (!Array.isArray(body.envVars)) throw invalid('envVars must be an array');
    envVars = body.envVars.map((e) => {
      const name = isJsonObject(e) ? e.name : undefined;
      return parseEnvVar(
        e,
        base?.envVars.find((old) => old.name === name),
      );
    });
    const names = envVars.map((e) => e.name);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate !== undefined)
      throw new ApiError(400, 'env-var-already-exists', `Environment variable '${duplicate}' is given twice`);
  }
  const sourceFiles =
    body.sourceFiles !== undefined
      ? parseSourceFiles(body.sourceFiles)
      : type === 'SOURCE_FILES'
        ? (base?.sourceFiles ?? [])
        : [];
  return {
    versionNumber,
    sourceType: type,
    buildTag,
    applyEnvVarsToBuild: apply,
    envVars,
    sourceFiles,
    sourceUrl,
  };
}

/** A secret's value never leaves the emulator: responses carry its name and the flag only. */
export function envVarObject(envVar: EnvVar): JsonObject {
  return envVar.isSecret
    ? { name: envVar.name, isSecret: true }
    : { name: envVar.name, value: envVar.value, isSecret: false };
}

export function versionObject(version: ActorVersion): JsonObject {
  const object: JsonObject = {
    versionNumber: version.versionNumber,
    sourceType: version.sourceType,
    envVars: version.envVars.map(envVarObject),
    applyEnvVarsToBuild: version.applyEnvVarsToBuild,
    buildTag: version.buildTag,
  };
  const urlField = SOURCE_URL_FIELD[version.sourceType];
  if (urlField === null) object.sourceFiles = version.sourceFiles.map((f) => ({ ...f }));
  else object[urlField] = version.sourceUrl;
  return object;
}

export function requireVersion(versions: readonly ActorVersion[], versionNumber: string): ActorVersion {
  const version = versions.find((v) => v.versionNumber === versionNumber);
  if (version === undefined) throw notFound(`Actor version '${versionNumber}'`);
  return version;
}

export function requireEnvVar(version: ActorVersion, name: string): EnvVar {
  const envVar = version.envVars.find((e) => e.name === name);
  if (envVar === undefined) throw notFound(`Environment variable '${name}'`);
  return envVar;
}

/** The variables a run of this version gets, secrets in clear: they are the process's environment. */
export function runEnvironment(version: ActorVersion | undefined): Record<string, string> {
  return Object.fromEntries((version?.envVars ?? []).map((e) => [e.name, e.value]));
}
