import { datasetCases } from './datasets.cases.js';
import { differentialSuite } from './suite.js';

differentialSuite('datasets', datasetCases);
