// Demo 03: the same model and device pickers as demo 01.
import { connectModelPicker } from '../shared/model-picker.js';

connectModelPicker(document.getElementById('chat'), {
  model: document.getElementById('model'),
  device: document.getElementById('device'),
});
