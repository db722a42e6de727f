// Connects a demo's model and device pickers to a <tabwise-chatbot>. The choice lives in the URL
// (?model=…&device=…), so a link or a reload keeps it. Runs before /dist/tabwise.js, so the element
// is created with the chosen model and never starts loading the default one.

/** Models on the Hugging Face Hub: they need the network, and are offered only while online. */
const hubModels = new Set(['onnx-community/DialoGPT-small-ONNX', 'onnx-community/DialoGPT-medium-ONNX']);

/** The generated DialoGPT-small-size model exists only after `npm run bench` (or ensure-models small). */
const optionalLocalModels = ['/models/small/'];

/**
 * @param {HTMLElement} chatbot a <tabwise-chatbot>, defined or not yet
 * @param {{ model: HTMLSelectElement, device: HTMLSelectElement }} pickers
 */
export function connectModelPicker(chatbot, { model, device }) {
  const params = new URLSearchParams(location.search);
  choose(model, params.get('model'));
  choose(device, params.get('device'));
  apply();

  model.addEventListener('change', () => {
    remember();
    apply();
  });
  device.addEventListener('change', () => {
    remember();
    apply();
  });

  function apply() {
    chatbot.setAttribute('model', model.value);
    chatbot.setAttribute('device', device.value);
  }

  function remember() {
    const url = new URL(location.href);
    url.searchParams.set('model', model.value);
    url.searchParams.set('device', device.value);
    history.replaceState(null, '', url);
  }

  // Hub models: usable only with a network. (Their downloads are cached, so the next visit is quick.)
  const markOnline = () => {
    for (const option of model.options) {
      if (!hubModels.has(option.value)) continue;
      option.disabled = !navigator.onLine;
      option.textContent = option.textContent.replace(/ \(offline\)$/, '') + (navigator.onLine ? '' : ' (offline)');
    }
  };
  markOnline();
  addEventListener('online', markOnline);
  addEventListener('offline', markOnline);

  // Generated models that may not exist: drop their options unless the server lists them. (The
  // server's index answers 200 either way; probing each model's config.json would log a 404.)
  fetch('/models/index.json', { cache: 'no-store' })
    .then((response) => (response.ok ? response.json() : { models: [] }))
    .catch(() => ({ models: [] }))
    .then(({ models }) => {
      for (const base of optionalLocalModels) {
        const option = [...model.options].find((candidate) => candidate.value === base);
        if (option && !models.includes(base) && !option.selected) option.remove();
      }
    });
}

/** Selects `value` in `select` if it is one of its options. */
function choose(select, value) {
  if (value && [...select.options].some((option) => option.value === value)) select.value = value;
}
