import { differentialSuite } from './suite.js';
import { taskCases } from './tasks.cases.js';

differentialSuite('tasks', taskCases);
