import { keyValueStoreCases } from './key-value-stores.cases.js';
import { differentialSuite } from './suite.js';

differentialSuite('key-value stores', keyValueStoreCases);
