import { notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import { webhookDoc } from '../../persistence/platform-codec.js';
import { commitInMemory, type PlatformCommit } from '../../persistence/platform-commit.js';
import { SerialByKey } from '../../serial-by-key.js';
import { USER } from '../../storages/common.js';
import type { Clock } from '../clock.js';
import { DEFAULT_PAYLOAD_TEMPLATE } from './template.js';
import type { WebhookCondition, WebhookSettings } from './webhook-body.js';

export interface Webhook {
  id: string;
  createdAt: string;
  modifiedAt: string;
  isAdHoc: boolean;
  shouldInterpolateStrings: boolean;
  eventTypes: string[];
  condition: WebhookCondition;
  ignoreSslErrors: boolean;
  doNotRetry: boolean;
  requestUrl: string;
  payloadTemplate: string;
  headersTemplate: string | null;
  description: string | null;
  idempotencyKey: string | null;
}

/** What an event is about, for matching webhook conditions. */
export interface EventSubject {
  actorId: string;
  actorTaskId: string | null;
  actorRunId: string | null;
}

/** The emulator's webhooks: saved ones, and ad-hoc ones bound to one run. */
export class Webhooks {
  private readonly byId = new Map<string, Webhook>();

  constructor(private readonly clock: Clock) {}

  /** Puts a webhook read back from the storage folder in place. */
  private commit: PlatformCommit = commitInMemory;
  /** Writes that check names (or keys) taken run one at a time: none checks while another is installing. */
  private readonly writes = new SerialByKey();

  /** How a change becomes durable before it is put in place (in memory: at once). */
  attachCommit(commit: PlatformCommit): void {
    this.commit = commit;
  }

  adopt(webhook: Webhook): void {
    this.byId.set(webhook.id, webhook);
  }

  list(): Webhook[] {
    return [...this.byId.values()];
  }

  require(id: string): Webhook {
    const webhook = this.byId.get(id);
    if (webhook === undefined) throw notFound(`Webhook '${id}'`);
    return webhook;
  }

  /** A webhook whose `idempotencyKey` was seen before is not created twice: the first one is returned. */
  create(settings: WebhookSettings): Promise<Webhook> {
    return this.writes.run('webhooks', () => this.createDurably(settings));
  }

  private async createDurably(settings: WebhookSettings): Promise<Webhook> {
    const key = settings.idempotencyKey ?? null;
    const existing = key === null ? undefined : this.list().find((w) => w.idempotencyKey === key);
    if (existing !== undefined) return existing;
    const webhook = this.fresh(settings);
    return this.commit('webhook', webhook.id, webhookDoc(webhook), () => {
      this.byId.set(webhook.id, webhook);
      return webhook;
    });
  }

  /** An ad-hoc webhook of a run being started: saved with the run's start, like the run's other state. */
  addAdHoc(settings: WebhookSettings): Webhook {
    const webhook = this.fresh({ ...settings, isAdHoc: true });
    this.byId.set(webhook.id, webhook);
    return webhook;
  }

  private fresh(settings: WebhookSettings): Webhook {
    const key = settings.idempotencyKey ?? null;
    const now = new Date(this.clock.now()).toISOString();
    const webhook: Webhook = {
      id: newId(),
      createdAt: now,
      modifiedAt: now,
      isAdHoc: settings.isAdHoc ?? false,
      shouldInterpolateStrings: settings.shouldInterpolateStrings ?? false,
      eventTypes: settings.eventTypes ?? [],
      condition: settings.condition ?? {},
      ignoreSslErrors: settings.ignoreSslErrors ?? false,
      doNotRetry: settings.doNotRetry ?? false,
      requestUrl: settings.requestUrl ?? '',
      payloadTemplate: settings.payloadTemplate ?? DEFAULT_PAYLOAD_TEMPLATE,
      headersTemplate: settings.headersTemplate ?? null,
      description: settings.description ?? null,
      idempotencyKey: key,
    };
    return webhook;
  }

  async update(webhook: Webhook, settings: WebhookSettings): Promise<Webhook> {
    const { payloadTemplate, ...fields } = settings;
    const next: Webhook = { ...webhook, ...fields, modifiedAt: new Date(this.clock.now()).toISOString() };
    if (payloadTemplate !== undefined) next.payloadTemplate = payloadTemplate ?? DEFAULT_PAYLOAD_TEMPLATE;
    await this.commit('webhook', webhook.id, webhookDoc(next), () => Object.assign(webhook, next));
    return webhook;
  }

  delete(webhook: Webhook): Promise<void> {
    return this.commit('webhook', webhook.id, null, () => void this.byId.delete(webhook.id));
  }

  /** The webhooks that listen to `eventType` and whose condition the subject meets. */
  matching(eventType: string, subject: EventSubject): Webhook[] {
    return this.list().filter((webhook) => {
      if (!webhook.eventTypes.includes(eventType)) return false;
      const { actorId, actorTaskId, actorRunId } = webhook.condition;
      if (actorId !== undefined && actorId !== subject.actorId) return false;
      if (actorTaskId !== undefined && actorTaskId !== subject.actorTaskId) return false;
      if (actorRunId !== undefined && actorRunId !== subject.actorRunId) return false;
      return true;
    });
  }
}

export function webhookObject(
  webhook: Webhook,
  stats: { totalDispatches: number; lastDispatch: { status: string; finishedAt: string | null } | null },
): Record<string, unknown> {
  return {
    id: webhook.id,
    createdAt: webhook.createdAt,
    modifiedAt: webhook.modifiedAt,
    userId: USER.id,
    isAdHoc: webhook.isAdHoc,
    isApifyIntegration: false,
    isEnabled: true,
    actionType: 'HTTP_REQUEST',
    shouldInterpolateStrings: webhook.shouldInterpolateStrings,
    eventTypes: webhook.eventTypes,
    condition: webhook.condition,
    ignoreSslErrors: webhook.ignoreSslErrors,
    doNotRetry: webhook.doNotRetry,
    requestUrl: webhook.requestUrl,
    payloadTemplate: webhook.payloadTemplate,
    headersTemplate: webhook.headersTemplate,
    description: webhook.description,
    idempotencyKey: webhook.idempotencyKey,
    lastDispatch: stats.lastDispatch,
    stats: { totalDispatches: stats.totalDispatches },
  };
}
