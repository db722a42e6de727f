// @tabwise/elements: importing this module registers the custom elements.
export {};
