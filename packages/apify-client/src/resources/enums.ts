/** The official client's enums, with the same members and values. */

export enum ActorListSortBy {
  CREATED_AT = 'createdAt',
  LAST_RUN_STARTED_AT = 'stats.lastRunStartedAt',
}

export enum ActorSourceType {
  SourceFiles = 'SOURCE_FILES',
  GitRepo = 'GIT_REPO',
  Tarball = 'TARBALL',
  GitHubGist = 'GITHUB_GIST',
}

export enum DownloadItemsFormat {
  JSON = 'json',
  JSONL = 'jsonl',
  XML = 'xml',
  HTML = 'html',
  CSV = 'csv',
  XLSX = 'xlsx',
  RSS = 'rss',
}

export enum ScheduleActions {
  RunActor = 'RUN_ACTOR',
  RunActorTask = 'RUN_ACTOR_TASK',
}

export enum PlatformFeature {
  Actors = 'ACTORS',
  Storage = 'STORAGE',
  ProxySERPS = 'PROXY_SERPS',
  Scheduler = 'SCHEDULER',
  Webhooks = 'WEBHOOKS',
  Proxy = 'PROXY',
  ProxyExternalAccess = 'PROXY_EXTERNAL_ACCESS',
}

export enum WebhookDispatchStatus {
  Active = 'ACTIVE',
  Succeeded = 'SUCCEEDED',
  Failed = 'FAILED',
}
