// "ApifyClient overhead": the same GET record calls through ApifyClient and through the HttpClient
// it uses, called directly with the same URL and headers; interleaved rounds in one child process.
import { ApifyClient, ImpitHttpClient } from '@pluggable/apify-client';
import { PluggableHttpClient } from '../../examples/demo/pluggable-http-client.js';
import { TOKEN } from './clients.js';

const HTTP_CLIENTS = {
  ImpitHttpClient: () => new ImpitHttpClient(),
  '@pluggable/http': () => new PluggableHttpClient(),
};

async function seconds(calls, once) {
  const started = performance.now();
  for (let i = 0; i < calls; i++) await once();
  return (performance.now() - started) / 1000;
}

export async function run({ baseUrl, httpClient: name, calls, rounds }) {
  const httpClient = HTTP_CLIENTS[name]();
  const client = ApifyClient.withCustomHttpClient({ baseUrl, token: TOKEN, httpClient });
  try {
    const meta = await client.keyValueStores().getOrCreate(`overhead-${process.pid}`);
    const store = client.keyValueStore(meta.id);
    await store.setRecord({ key: 'k', value: { hello: 'world' } });
    const viaClient = async () => {
      const record = await store.getRecord('k');
      if (record?.value?.hello !== 'world') throw new Error('unexpected record');
    };
    // The direct calls replay exactly what ApifyClient passed to its HttpClient (URL, params,
    // headers, timeout), captured once and then the capture removed, so both sides send the same request.
    let captured;
    httpClient.call = (options) => {
      captured ??= options;
      return Object.getPrototypeOf(httpClient).call.call(httpClient, options);
    };
    await viaClient();
    delete httpClient.call;
    const direct = async () => {
      const response = await httpClient.call(captured);
      if (response.statusCode !== 200 || response.json()?.hello !== 'world')
        throw new Error('unexpected response');
    };
    await seconds(calls, viaClient);
    await seconds(calls, direct);
    const results = [];
    for (let round = 0; round < rounds; round++) {
      const a = await seconds(calls, viaClient);
      const b = await seconds(calls, direct);
      results.push({ clientUs: (a / calls) * 1e6, directUs: (b / calls) * 1e6, overhead: a / b - 1 });
    }
    await store.delete();
    return results;
  } finally {
    await client.close();
  }
}
