import { type App, type AppContext, origin, requestUrl } from '../http/context.js';
import { boolParam, dataResponse, paginate } from '../http/query.js';
import { parseStoreQuery, selectActors, storeActor } from './listing.js';

/** `GET /v2/store`: the Apify Store, which locally lists the emulator's own actors. */
export function storeListingRoutes(app: App, ctx: AppContext): void {
  const { actors, runs } = ctx;
  app.get('/v2/store', (c) => {
    const url = requestUrl(c);
    const agentic = url.searchParams.get('allowsAgenticUsers');
    const allowsAgenticUsers =
      agentic === null || agentic === '' ? null : boolParam(url, 'allowsAgenticUsers');
    const query = parseStoreQuery(url, allowsAgenticUsers);
    const page = paginate(
      url,
      selectActors(actors.list(), (actor) => runs.list(actor), query),
    );
    return dataResponse({
      ...page,
      items: page.items.map((actor) => storeActor(actor, runs.list(actor), origin(c))),
    });
  });
}
