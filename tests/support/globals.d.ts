// What test pages put on window for page.evaluate().
declare global {
  interface Window {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    tabwise: any;
  }
}
export {};
