import { describeBackendSuite } from '../testing/index.js';
import { cpuBackend } from './cpu-backend.js';

// The reference backend passes the same suite every other backend must pass.
describeBackendSuite(cpuBackend);
