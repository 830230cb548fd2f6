import { useRef } from 'react';

/**
 * Counts the changes of `deps`, compared as React compares an effect's dependencies: lets a hook
 * that takes a caller's dependency list (useLoader, usePagedList) name it in its own effect.
 */
export function useChangeCount(deps: readonly unknown[]): number {
  const seen = useRef<{ deps: readonly unknown[]; count: number } | null>(null);
  let current = seen.current;
  if (!current || current.deps.length !== deps.length || current.deps.some((dep, index) => !Object.is(dep, deps[index]))) {
    current = { deps, count: (current?.count ?? 0) + 1 };
    seen.current = current;
  }
  return current.count;
}
