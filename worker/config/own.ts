// Maps keyed by names the user chose (routers, services, middlewares, transports) are plain
// objects, because they are JSON and cross RPC as such. Such a name may be `__proto__`,
// `constructor` or `toString`: an assignment `map[name] = v` with `__proto__` sets the prototype
// instead of a key (the entry vanishes), and a read `map[name]` of a name not defined finds
// Object.prototype's member. These two helpers read and write own keys only.

/** `map[key]` if `key` is an own key of `map`, else undefined (never an inherited member). */
export function ownValue<T>(map: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return map !== undefined && Object.hasOwn(map, key) ? map[key] : undefined;
}

/** `map[key] = value` that makes `__proto__` an own key like any other. */
export function setOwn<T>(map: Record<string, T>, key: string, value: T): void {
  if (key === "__proto__") Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
  else map[key] = value;
}
