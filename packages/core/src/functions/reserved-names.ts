// Names a served function may not take: connect() puts the functions on the client object beside
// these members.
export const reservedNames: readonly string[] = [
  'call',
  'close',
  'functions',
  'session',
  'alive',
  'worker',
  'then',
  'constructor',
  'addEventListener',
  'removeEventListener',
  'dispatchEvent',
];
