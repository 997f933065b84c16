/**
 * Saving and loading models, browser-safe: scratchnet's model files ({@link saveModel},
 * {@link loadModel}) and checkpoints, safetensors, the book's numpy pickles
 * ({@link decodeNumpyPickle}, {@link importBookParams}), PyTorch state dicts, float16 helpers and
 * ONNX export. The file system helpers are in `@scratchnet/serialization/node`.
 *
 * @module @scratchnet/serialization
 */
export type { BookArchitecture, BookParamName, ImportBookOptions } from './book-params.js';
export { bookParamNames, detectBookArchitecture, importBookParams } from './book-params.js';
export type { IndexedDbOptions, StoredModel } from './browser-storage.js';
export {
  deleteIndexedDbModel,
  downloadModel,
  listIndexedDbModels,
  loadModelFromIndexedDb,
  loadModelFromUrl,
  readModelFromIndexedDb,
  saveModelToIndexedDb,
} from './browser-storage.js';
export type { Checkpoint, SaveCheckpointOptions, TrainingState } from './checkpoint.js';
export { loadCheckpoint, saveCheckpoint } from './checkpoint.js';
export {
  bfloat16BitsToFloat32,
  float16BitsToFloat32,
  float16BitsToFloat32Array,
  float32ArrayToFloat16Bits,
  float32ToBfloat16Bits,
  float32ToFloat16Bits,
} from './float16.js';
export type { ImportStateDictOptions } from './import-state-dict.js';
export { importStateDict } from './import-state-dict.js';
export type { LoadModelOptions, SaveModelOptions } from './model-file.js';
export {
  loadModel,
  loadModelWithMetadata,
  MODEL_METADATA,
  readNetworkConfig,
  saveModel,
} from './model-file.js';
export type { ExportOnnxOptions } from './onnx-export.js';
export { exportOnnx, ONNX_OPSET, OnnxExportError } from './onnx-export.js';
export type {
  NumpyArray,
  NumpyDtype,
  NumpyTypedArrays,
  UnpickledValue,
  UnpickleOptions,
} from './pickle.js';
export {
  decodeNumpyPickle,
  ForbiddenGlobalError,
  numpyToFloat32,
  UnpicklingError,
  unpickle,
} from './pickle.js';
export type {
  DecodeSafetensorsOptions,
  EncodeSafetensorsOptions,
  FloatDtype,
  SafetensorsArrays,
  SafetensorsDtype,
  SafetensorsEntry,
  SafetensorsFile,
  TensorsToSafetensorsOptions,
} from './safetensors.js';
export {
  DEFAULT_MAX_HEADER_BYTES,
  decodeSafetensors,
  encodeSafetensors,
  entryToFloat32,
  SafetensorsError,
  safetensorsToTensors,
  tensorsToSafetensors,
} from './safetensors.js';
