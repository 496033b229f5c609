/** `{...base, ...patch}` that ignores `undefined` values (zod partials carry them explicitly). */
export function mergeDefined<T extends object>(base: T, patch: { [K in keyof T]?: T[K] | undefined } | undefined): T {
  const out = { ...base };
  if (!patch) return out;
  for (const key of Object.keys(patch) as Array<keyof T>) {
    const value = patch[key];
    if (value !== undefined) out[key] = value as T[keyof T];
  }
  return out;
}
