import * as publicApi from './public-api.js';

/** `import Apify from '…'` gives the whole module, as the official package's default export does. */
export default publicApi;
