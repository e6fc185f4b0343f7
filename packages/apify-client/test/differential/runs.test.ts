import { runCases } from './runs.cases.js';
import { differentialSuite } from './suite.js';

differentialSuite('runs', runCases);
