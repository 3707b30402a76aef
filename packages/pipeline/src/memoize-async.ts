/**
 * `fn` called at most once per key for the life of the returned function: later calls share the first call's
 * promise (a rejection included), so a file is read or hashed once however many entries use it.
 */
export function memoizeAsync<T>(fn: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const started = new Map<string, Promise<T>>();
  return (key) => {
    let result = started.get(key);
    if (!result) {
      result = fn(key);
      started.set(key, result);
    }
    return result;
  };
}
