// The page's script (bundled by test/browser.test.ts): exposes runCheck to the test driver.
import { type CheckOptions, runCheck } from './check.js';

declare global {
  var scratchnetCheck: (options: CheckOptions) => ReturnType<typeof runCheck>;
}
globalThis.scratchnetCheck = runCheck;
