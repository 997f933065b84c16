/**
 * `@scratchnet/serialization/node`: the parts that use the file system (node:fs). Kept out of the
 * main entry so that browser bundles of `@scratchnet/serialization` never pull in Node built-ins.
 *
 * @module @scratchnet/serialization/node
 */
export { writeFileAtomic, writeFileAtomicSync } from './atomic-write.js';
export {
  readNumpyPickleFile,
  readSafetensorsFile,
  writeSafetensorsFile,
} from './files.js';
