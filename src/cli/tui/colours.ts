import { createContext, useContext } from 'react';

/** False under NO_COLOR: the UI then draws without colours, keeping bold, underline and inverse. */
export const ColoursOn = createContext(true);

/** `colour(name)`: the colour to draw with, or undefined when colours are off. */
export function useColour(): (name: string | undefined) => string | undefined {
  const on = useContext(ColoursOn);
  return (name) => (on ? name : undefined);
}
