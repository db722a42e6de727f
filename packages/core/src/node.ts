// @tabwise/core under Node (the "node" export condition): the same public names, but createChat()
// runs the engine in this process and also takes a local model directory.
export * from './index.js';
export { createChat } from './chat/create-chat-node.js';
