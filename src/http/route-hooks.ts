import type { RouteOptions } from 'fastify';

type HookName = 'onRequest' | 'preParsing' | 'preHandler' | 'onSend';

/**
 * Adds a hook to one route from an `onRoute` hook, so a policy costs nothing on routes that do not
 * declare it. Assigns a new array: Fastify copies a GET route's options for its HEAD twin before
 * `onRoute` runs, and mutating a shared array would run the hook twice there.
 */
export function addRouteHook(route: RouteOptions, name: HookName, hook: unknown): void {
  const current = route[name] as unknown;
  const list = current === undefined ? [] : Array.isArray(current) ? current : [current];
  (route as unknown as Record<HookName, unknown[]>)[name] = [...list, hook];
}

export function routeMethods(route: RouteOptions): string[] {
  return Array.isArray(route.method) ? route.method : [route.method];
}
