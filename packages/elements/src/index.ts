// @tabwise/elements: importing this module registers <tabwise-chatbot>, <tabwise-scoreboard> and <tabwise-interface>.

// Elements
export { TabwiseChatbot } from './tabwise-chatbot.js';
export { TabwiseScoreboard } from './tabwise-scoreboard.js';
export { TabwiseInterface } from './tabwise-interface.js';

// Events, typed in HTMLElementEventMap
export { TabwiseReadyEvent, type ModelReadyInfo } from './events/tabwise-ready-event.js';
export { TabwiseTokenEvent } from './events/tabwise-token-event.js';
export { TabwiseMessageEvent } from './events/tabwise-message-event.js';
export { TabwiseErrorEvent, type TabwiseErrorSource } from './events/tabwise-error-event.js';

// Reactive controllers, for building other elements on the same links
export { ChatController, type ChatStatus, type ModelRequest, type PendingTurn } from './chat-controller.js';
export { GlobalStateController, type GlobalStateRequest } from './global-state-controller.js';
export { FunctionsController, type FunctionsStatus } from './functions-controller.js';
