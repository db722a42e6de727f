// Demo 01: the model and device pickers, and the element's events in the side panel.
import { showEvents } from '../shared/event-log.js';
import { connectModelPicker } from '../shared/model-picker.js';

const chatbot = document.getElementById('chat');
connectModelPicker(chatbot, { model: document.getElementById('model'), device: document.getElementById('device') });
showEvents(chatbot, document.getElementById('events'));
