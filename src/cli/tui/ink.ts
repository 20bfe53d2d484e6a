import type * as Ink from 'ink';

/*
 * ink, for the terminal UI's components. ink is an ES module whose layout engine (yoga-layout)
 * loads its WebAssembly with a top-level await, so the built CLI (a script, for its code cache:
 * see bin/load-rolplay.cjs) cannot require() it; it imports it, once, before the UI renders.
 * These are live bindings: a component that uses `Box` sees ink's once loadInk() has run.
 */
export let Box: typeof Ink.Box;
export let Text: typeof Ink.Text;
export let render: typeof Ink.render;
export let useApp: typeof Ink.useApp;
export let useInput: typeof Ink.useInput;
export let useStdout: typeof Ink.useStdout;

let loaded: Promise<void> | undefined;

/**
 * The launcher's import() (bin/load-rolplay.cjs), when there is one: in the built CLI an
 * import() of its own would fail in code that came from the code cache ("A dynamic import
 * callback was not specified": V8 loses the script's loader there).
 */
const LAUNCHER_IMPORT = Symbol.for('rolplay.importPackage');

function importInk(): Promise<typeof Ink> {
  const viaLauncher = (globalThis as Record<symbol, unknown>)[LAUNCHER_IMPORT] as ((name: string) => Promise<unknown>) | undefined;
  return viaLauncher ? viaLauncher('ink') as Promise<typeof Ink> : import('ink');
}

/** Imports ink and fills in the bindings above; call before rendering any component of the UI. */
export function loadInk(): Promise<void> {
  loaded ??= importInk().then((ink) => {
    ({ Box, Text, render, useApp, useInput, useStdout } = ink);
  });
  return loaded;
}
