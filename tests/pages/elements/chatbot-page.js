// Test page: the query string sets the chatbot's attributes (?max-new-tokens=400&model=…) before
// the element is defined, so its first load already uses them.
const chatbot = document.querySelector('tabwise-chatbot');
for (const [name, value] of new URLSearchParams(location.search)) chatbot.setAttribute(name, value);
await import('/dist/tabwise.js');
document.body.dataset.ready = 'true';
