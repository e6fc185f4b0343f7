import { actorCases } from './actors.cases.js';
import { differentialSuite } from './suite.js';

differentialSuite('actors', actorCases);
