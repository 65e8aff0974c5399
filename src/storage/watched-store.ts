import { isDatabaseError } from "../delivery/store.js";

/**
 * The same store, with every database error also told to `report` before it is thrown on, so
 * `/healthz` and `/status` learn of a failing database from the work itself, not only its probe.
 */
export function watchedStore<T extends object>(store: T, report: (error: unknown) => void): T {
  // One wrapper per method, made on first use: store calls sit on the delivery path.
  const wrappers = new Map<PropertyKey, (...args: unknown[]) => unknown>();
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      let wrapper = wrappers.get(property);
      if (!wrapper) {
        const watch = (error: unknown) => {
          if (isDatabaseError(error)) report(error);
          throw error;
        };
        wrapper = (...args: unknown[]) => {
          try {
            const result = (value as (...a: unknown[]) => unknown).apply(target, args);
            return result instanceof Promise ? result.catch(watch) : result;
          } catch (error) {
            return watch(error);
          }
        };
        wrappers.set(property, wrapper);
      }
      return wrapper;
    },
  });
}
