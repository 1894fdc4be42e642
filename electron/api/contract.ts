// How an API method is declared: a name (`area.verb`), a zod input schema, a handler whose return
// type is the method's result. The registry in ./index.ts is the single source that every
// transport (IPC, HTTP, in-process) and the renderer's client are derived from.
import type { z } from 'zod';
import type { ApiContext } from '../core/context';

export interface MethodDef<I extends z.ZodType = z.ZodType, O = unknown> {
  /** One line for `GET /api` and the command palette's help. */
  description: string;
  input: I;
  handler: (ctx: ApiContext, input: z.output<I>) => O | Promise<O>;
}

export function method<I extends z.ZodType, O>(def: MethodDef<I, O>): MethodDef<I, O> {
  return def;
}

/** Checks that every key of an area is `area.verb`, at compile time. */
export function area<A extends string, M extends Record<`${A}.${string}`, MethodDef>>(_name: A, methods: M): M {
  return methods;
}
