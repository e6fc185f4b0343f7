import { optionCases } from './options.cases.js';
import { differentialSuite } from './suite.js';

differentialSuite('options, one by one', optionCases);
