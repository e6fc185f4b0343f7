import { platformCases } from './platform.cases.js';
import { differentialSuite } from './suite.js';

differentialSuite('platform', platformCases);
