/** A minimal Zustand-style store (`create`), so client cases can use a store like real apps do. */
import { useSyncExternalStore } from "react";

type SetState<T> = (partial: Partial<T> | ((state: T) => Partial<T>)) => void;

export function create<T>(init: (set: SetState<T>, get: () => T) => T) {
  let state: T;
  const listeners = new Set<() => void>();
  const set: SetState<T> = (partial) => {
    const next = typeof partial === "function" ? partial(state) : partial;
    state = { ...state, ...next };
    listeners.forEach((listener) => listener());
  };
  state = init(set, () => state);
  const subscribe = (listener: () => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  function useStore(): T;
  function useStore<U>(selector: (state: T) => U): U;
  function useStore<U>(selector?: (state: T) => U) {
    return useSyncExternalStore(subscribe, () => (selector ? selector(state) : state));
  }
  return Object.assign(useStore, { getState: () => state, setState: set });
}
