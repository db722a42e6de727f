// @tabwise/core: the public names, one by one. Everything else is internal.

// Session state: a chat with DialoGPT in this tab's engine worker
export { createChat } from './chat/create-chat.js';
export type { ChatOptions } from './chat/create-chat.js';
export type { ShareMode, SharedStatus } from './chat/shared-status.js';
export type { Chat, SendOptions } from './chat/chat.js';
export type { ChatMessage } from './engine/conversation.js';
export type { TurnStats } from './engine/engine.js';
export type { Phase, PhaseTime, PhaseTimes } from './engine/phase-profile.js';
export type { FileProgress } from './engine/file-store.js';
export type { GenerationOptions } from './generation/generation-options.js';
export type { DeviceRequest } from './engine/device.js';
export type { Device } from './engine/onnx-runtime.js';
export type { DtypeRequest } from './engine/load-model.js';

// Global state: one value per key shared by every tab of the origin (SharedWorker, leader tab, or in-tab)
export { createGlobalState } from './state/create-global-state.js';
export { openGlobalStorePort, useGlobalStorePort } from './state/global-store-port.js';
export type { GlobalState, GlobalStateOptions, GlobalStateStats, GlobalStateTransportName } from './state/types.js';
export { closeServerConnections } from './state/server/server-store-clients.js';

// Your own functions in your own worker module (serve() there), called with Gradio's state semantics
export { connect } from './functions/connect.js';
export type { ConnectOptions, FunctionsConnection } from './functions/connect.js';
export type { FunctionsClient, FunctionsClientEventMap } from './functions/functions-client.js';
export { StateChangeEvent } from './functions/state-change-event.js';
export type { Callables, ServedApi } from './functions/types.js';
export type { FunctionDescription } from './functions/function-spec.js';
export type { ComponentType, ChatbotValue } from './functions/component-types.js';
export { valueComponentTypes } from './functions/component-types.js';

// Option checks, the same ones createChat() and send() run (for forms and custom elements)
export { resolveGenerationOptions } from './generation/generation-options.js';
export { validateLoadOptions } from './engine/load-model.js';
export { checkShareMode } from './chat/shared-status.js';

// Errors, by name
export {
  TabwiseError,
  EmptyMessageError,
  ModelLoadError,
  CorruptModelFileError,
  UnsafeModelUrlError,
  WorkerCrashedError,
  ChatDisposedError,
  DeviceUnavailableError,
  RuntimeLoadError,
  WorkerLoadError,
  WorkerBlockedError,
  AbortError,
  SessionAccessError,
} from './errors.js';
export { GlobalStateKeyError, GlobalStateValueError, GlobalStateConflictError, GlobalStateTransportError } from './state/errors.js';
export { GlobalStateAccessError, GlobalStateLimitError } from './state/server/server-errors.js';
export { UnknownFunctionError, FunctionArgumentError, FunctionDeclarationError, FunctionOutputError, StateValueError } from './functions/errors.js';

// Test hooks (engine memory, GPU device loss): unstable, for tests only; may change in any release
export * as TabwiseUnstable from './chat/test-hooks.js';

// Where model files are cached (Cache API), for apps that manage storage
export { modelCacheName } from './engine/http-file-store.js';
// Model ids and file layout: the default model, and dtype → ONNX file suffix (onnx/model{suffix}.onnx)
export { defaultModel } from './engine/model-source.js';
export { dtypeFileSuffix } from './engine/model-files.js';
