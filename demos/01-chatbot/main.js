// Demo 01: the model and device pickers, the "share the model between tabs" switch, and the
// element's events in the side panel. The choices live in the URL, so the second-tab link carries them.
import { showEvents } from '../shared/event-log.js';
import { connectModelPicker } from '../shared/model-picker.js';

const chatbot = document.getElementById('chat');
const share = document.getElementById('share');
const secondTab = document.getElementById('second-tab');

share.checked = new URLSearchParams(location.search).get('share') === 'origin';
applyShare();
share.addEventListener('change', () => {
  const url = new URL(location.href);
  url.searchParams.set('share', share.checked ? 'origin' : 'tab');
  history.replaceState(null, '', url);
  applyShare();
});

connectModelPicker(chatbot, { model: document.getElementById('model'), device: document.getElementById('device') });
showEvents(chatbot, document.getElementById('events'));
for (const select of document.querySelectorAll('select')) select.addEventListener('change', linkSecondTab);
linkSecondTab();

function applyShare() {
  chatbot.setAttribute('share', share.checked ? 'origin' : 'tab');
  linkSecondTab();
}

/** The second tab opens with the same model, device and sharing. */
function linkSecondTab() {
  secondTab.href = location.pathname + location.search;
}
