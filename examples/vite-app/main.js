// The whole integration: import the elements, no Vite configuration.
import '@tabwise/elements';

// ?model=… tries another model (a Hub id, or a same-origin/https base URL).
const model = new URLSearchParams(location.search).get('model') ?? 'onnx-community/DialoGPT-small-ONNX';
document.querySelector('tabwise-chatbot').setAttribute('model', model);
