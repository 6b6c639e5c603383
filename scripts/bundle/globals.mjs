// What the bundled parsing libraries reach for in Node's globals, made local to the bundle (scripts/bundle/libraries.js):
// n8n's community scanner refuses a package that names process, console or timers, and inside n8n nothing needs them.
const soon = (task, ...args) => queueMicrotask(() => task(...args));
const quiet = () => undefined;

/** call-me-maybe defers callbacks with nextTick; the yaml packages read process.env for colours and warnings. */
export const process = { env: {}, nextTick: soon };
/** The libraries' warnings: the node reports findings instead. */
export const console = { log: quiet, info: quiet, warn: quiet, error: quiet, debug: quiet };
/** Only ever asked for 0 ms (call-me-maybe's fallbacks, oas-resolver's loop): the next microtask does. */
export const setTimeout = (task, _ms, ...args) => soon(task, ...args);
export const setImmediate = soon;
