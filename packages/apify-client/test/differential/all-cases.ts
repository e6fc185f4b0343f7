import { actorCases } from './actors.cases.js';
import { datasetCases } from './datasets.cases.js';
import { errorCases } from './errors.cases.js';
import type { DifferentialCase } from './harness.js';
import { keyValueStoreCases } from './key-value-stores.cases.js';
import { optionCases } from './options.cases.js';
import { platformCases } from './platform.cases.js';
import { requestQueueCases } from './request-queues.cases.js';
import { runCases } from './runs.cases.js';
import { taskCases } from './tasks.cases.js';

/** One program per official method, by resource family. */
export const methodCases: DifferentialCase[] = [
  ...actorCases,
  ...datasetCases,
  ...keyValueStoreCases,
  ...platformCases,
  ...requestQueueCases,
  ...runCases,
  ...taskCases,
];

/** Every differential program: the methods, the option sweep and the error answers. */
export const allCases: DifferentialCase[] = [
  ...methodCases,
  ...optionCases,
  ...errorCases.flatMap(({ cases }) => cases),
];
