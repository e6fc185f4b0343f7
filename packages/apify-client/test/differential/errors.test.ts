import { describe } from 'vitest';
import { errorCases } from './errors.cases.js';
import { differentialSuite } from './suite.js';

describe('error fields on 400, 404 and 429', () => {
  for (const { status, cases } of errorCases) differentialSuite(`HTTP ${status}`, cases);
});
