import { decodeBuffer } from '../http/body.js';
import type { State } from '../persistence/state.js';
import { type Item, toItems } from '../storages/datasets.js';
import { checkKey, type KvsRecord } from '../storages/key-value-stores.js';
import type { StoredRequest } from '../storages/request-queues.js';
import type {
  ActorContext,
  DatasetHandle,
  JsonObject,
  KeyValueRecord,
  KeyValueStoreHandle,
  QueueRequest,
  RequestQueueHandle,
} from '../types.js';
import type { Run } from './runs.js';

async function recordValue(record: KvsRecord): Promise<KeyValueRecord> {
  const bytes = record.encoding === null ? record.value : await decodeBuffer(record.value, record.encoding);
  const type = record.contentType.toLowerCase();
  let value: unknown = bytes;
  if (type.startsWith('application/json') || type.includes('+json'))
    value = JSON.parse(bytes.toString('utf8'));
  else if (type.startsWith('text/')) value = bytes.toString('utf8');
  return { value, contentType: record.contentType };
}

/**
 * The run's input as the actor sees it: parsed JSON, text, bytes, or undefined when none was sent. After a
 * metamorph the key is `INPUT-METAMORPH-n`, as the platform points the SDK's input key there.
 */
export async function readInput(state: State, storeId: string, key = 'INPUT'): Promise<unknown> {
  const record = state.keyValueStores.collection.byId.get(storeId)?.records.get(key);
  return record === undefined ? undefined : (await recordValue(record)).value;
}

function datasetHandle(state: State, id: string): DatasetHandle {
  const dataset = () => state.datasets.collection.require(id);
  return {
    id,
    pushItems: (items) => state.datasets.push(dataset(), toItems(JSON.parse(JSON.stringify(items)))),
    listItems: async () => dataset().items.map((item: Item) => structuredClone(item)),
  };
}

function storeHandle(state: State, id: string): KeyValueStoreHandle {
  const store = () => state.keyValueStores.collection.require(id);
  return {
    id,
    async getRecord(key) {
      const record = store().records.get(checkKey(key));
      return record === undefined ? undefined : recordValue(record);
    },
    async setRecord(key, value, contentType) {
      let bytes: Buffer;
      let type = contentType;
      if (value instanceof Uint8Array) {
        bytes = Buffer.from(value);
        type ??= 'application/octet-stream';
      } else if (typeof value === 'string') {
        bytes = Buffer.from(value, 'utf8');
        type ??= 'text/plain; charset=utf-8';
      } else {
        bytes = Buffer.from(JSON.stringify(value, null, 2), 'utf8');
        type ??= 'application/json; charset=utf-8';
      }
      await state.keyValueStores.setRecord(store(), {
        key: checkKey(key),
        value: bytes,
        contentType: type,
        encoding: null,
        size: bytes.length,
      });
    },
    async deleteRecord(key) {
      await state.keyValueStores.deleteRecord(store(), checkKey(key));
    },
  };
}

function queueHandle(state: State, id: string): RequestQueueHandle {
  const queues = state.requestQueues;
  const queue = () => queues.collection.require(id);
  const view = (data: Record<string, unknown>) => structuredClone(data) as QueueRequest;
  return {
    id,
    async addRequest(request, options) {
      const body: JsonObject = { uniqueKey: request.uniqueKey ?? request.url, ...request };
      const result = await queues.change(queue(), (draft) =>
        queues.add(draft, body, options?.forefront === true),
      );
      return {
        requestId: result.request.id,
        wasAlreadyPresent: result.wasAlreadyPresent,
        wasAlreadyHandled: result.wasAlreadyHandled,
      };
    },
    async getRequest(requestId) {
      const found = queue().requests.get(requestId);
      return found === undefined ? undefined : view(found.data);
    },
    async nextRequest() {
      const now = Date.now();
      const next = queues.ordered(queue()).find((r) => !queues.isLocked(r, now));
      return next === undefined ? undefined : view(next.data);
    },
    async markHandled(requestId) {
      const q = queue();
      await queues.change(q, (draft) => {
        const request = draft.edit(queues.requireRequest(q, requestId).id) as StoredRequest;
        request.data = { ...request.data, handledAt: new Date().toISOString() };
        request.orderNo = null;
        request.lockedBy = null;
      });
    },
  };
}

export function createActorContext(state: State, run: Run): ActorContext {
  return {
    runId: run.id,
    actorId: run.actor.id,
    signal: run.controller.signal,
    env: Object.freeze({ ...run.env }),
    dataset: datasetHandle(state, run.datasetId),
    keyValueStore: storeHandle(state, run.keyValueStoreId),
    requestQueue: queueHandle(state, run.requestQueueId),
    log: (message) => run.log.write(message),
    setStatusMessage: (message) => {
      run.statusMessage = message;
    },
  };
}
