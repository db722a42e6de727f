// The fixed texts every engine is given. Each tokenizes (GPT-2 BPE, no special tokens) to the count
// in its name; the suite checks that with transformers.js's tokenizer and tabwise's stats before it
// measures anything. DialoGPT ends every turn with <|endoftext|>, so a 32-token prompt feeds the
// model 33 ids: the 32 tokens and the eos that ends the user's turn. Both engines get those same ids.

/** 32 tokens: the time-to-first-token and decode prompt. */
export const prompt32 =
  'Hello there, how are you doing today? I think the weather is nice and we should go for a long walk in the park after lunch with some friends.';

/** Ten user turns of 12 tokens each, for the 10-turn chat. */
export const chatTurns12 = [
  'Hello there, how are you doing on this fine day?',
  'I just got back from a long trip to the city.',
  'What kind of music do you like to listen to most?',
  'My little sister wants to learn how to play the guitar.',
  'Do you think it will rain again later this week too?',
  'We had pasta with fresh tomatoes for dinner last night again.',
  'Have you ever been up to the mountains in the winter?',
  'The new library in our town opens early on every Monday.',
  'I should probably get some sleep before going to work tomorrow.',
  'Thanks for the chat, it was really nice talking today.',
];

/** 8 tokens: starts the 500-token run of the memory measurement. */
export const memoryPrompt8 = 'Tell me a story about a dog.';

/** 8 tokens: warms an engine up after loading (JIT, first allocations); never timed. */
export const warmupPrompt8 = 'Good morning, what are you up to';
