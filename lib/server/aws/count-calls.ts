// Counts the calls made through one object's methods, for charging a single step's requests to a budget
// shared with other steps running at the same time.
import "server-only";
export function countCalls<T extends object>(api: T, onCall: () => void): T {
  return new Proxy(api, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        onCall();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
