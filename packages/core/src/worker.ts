// @tabwise/core/worker: what code running inside a dedicated worker may use (no DOM).

// Global state from a worker, through a port the page hands over (openGlobalStorePort)
export { createGlobalState } from './state/create-global-state.js';
export { useGlobalStorePort } from './state/global-store-port.js';
export type { GlobalState, GlobalStateOptions, GlobalStateStats, GlobalStateTransportName } from './state/types.js';
export { GlobalStateKeyError, GlobalStateValueError, GlobalStateConflictError, GlobalStateTransportError } from './state/errors.js';
export { GlobalStateAccessError, GlobalStateLimitError } from './state/server/server-errors.js';

// Your own functions, served to the page with Gradio's state semantics (connect() on the page)
export { serve } from './functions/serve.js';
export { State, type StateDefault } from './functions/state.js';
export { session, type Session } from './functions/session.js';
export { global } from './functions/global-store-link.js';
export type { FunctionSpec, Component, FunctionDescription } from './functions/function-spec.js';
export type { ComponentType, ChatbotValue } from './functions/component-types.js';
export type { ServedApi } from './functions/types.js';
export { UnknownFunctionError, FunctionArgumentError, FunctionDeclarationError, FunctionOutputError, StateValueError } from './functions/errors.js';

// The model, for functions that chat: load it once at module level and every call reuses it
export { Engine } from './engine/engine.js';
export type { TurnResult, TurnStats, TurnHooks } from './engine/engine.js';
export type { Phase, PhaseTime, PhaseTimes } from './engine/phase-profile.js';
export type { ChatMessage } from './engine/conversation.js';
export type { GenerationOptions } from './generation/generation-options.js';
export type { LoadModelOptions } from './engine/load-model.js';
