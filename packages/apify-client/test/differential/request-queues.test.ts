import { requestQueueCases } from './request-queues.cases.js';
import { differentialSuite } from './suite.js';

differentialSuite('request queues', requestQueueCases);
