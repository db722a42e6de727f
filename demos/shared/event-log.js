// Shows the events an element fires in a demo's side panel: what an app would listen to.

/**
 * @param {HTMLElement} source the element whose events to show (they bubble, so an ancestor works too)
 * @param {HTMLOListElement} list where to show them, newest first
 */
export function showEvents(source, list) {
  const empty = list.querySelector('.empty');
  let tokens = 0;

  const add = (name, text) => {
    empty?.remove();
    const item = document.createElement('li');
    const label = document.createElement('span');
    label.className = 'name';
    label.textContent = name;
    const detail = document.createElement('span');
    detail.textContent = text; // text, never HTML: it may hold model output
    item.append(label, detail);
    list.prepend(item);
    while (list.children.length > 40) list.lastElementChild.remove();
  };

  source.addEventListener('tabwise-ready', (event) => {
    const { device, dtype, deviceReason } = event.info;
    const fellBack = device === 'wasm' && event.target.getAttribute('device') !== 'wasm';
    add('ready', `${device} · ${dtype}${fellBack && deviceReason ? ` (${deviceReason})` : ''}`);
  });
  source.addEventListener('tabwise-token', () => tokens++);
  source.addEventListener('tabwise-message', (event) => {
    const { role, content, interrupted } = event.message;
    const streamed = role === 'assistant' ? ` · ${tokens} token events` : '';
    tokens = 0;
    add('message', `${role}${interrupted ? ' (stopped)' : ''}: ${JSON.stringify(content)}${streamed}`);
  });
  source.addEventListener('tabwise-error', (event) => {
    add('error', `${event.source}${event.attribute ? ` ${event.attribute}` : ''}: ${event.error.name}: ${event.error.message}`);
  });
}
