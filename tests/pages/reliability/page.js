// Test page for the reliability and security tests. The query string picks elements and their
// attributes, set before the bundle defines the elements so their first load already uses them:
//   ?chatbot.model=/models/tiny/&chatbot.max-new-tokens=4&scoreboard.key=scores
// adds a <tabwise-chatbot> and a <tabwise-scoreboard>. The drop-in bundle's API is on window.tabwise.
const params = new URLSearchParams(location.search);
for (const tag of ['chatbot', 'scoreboard']) {
  const attributes = [...params].filter(([name]) => name.startsWith(`${tag}.`));
  if (attributes.length === 0 && !params.has(tag)) continue;
  const element = document.createElement(`tabwise-${tag}`);
  for (const [name, value] of attributes) element.setAttribute(name.slice(tag.length + 1), value);
  document.body.append(element);
}
window.tabwise = await import('/dist/tabwise.js');
document.getElementById('status').textContent = 'ready';
document.body.dataset.ready = 'true';
