// Patches of settings objects (a room's price plan, the store's booking rules): what a patch may
// send, built from the settings' own schema so that fields added to it later are patchable too,
// and how a patch merges into the current value before the whole is checked again.
import { z } from 'zod';
import { parseInput } from '../errors';

/** Every object field optional, at every depth; arrays and other values whole. */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** Every top-level field optional; each sent whole. */
export type ShallowPartial<T> = { [K in keyof T]?: T[K] };

/** A field's schema without the optional or default around it: a patch fills in nothing. */
function bare(field: z.ZodType): z.ZodType {
  let s = field;
  while (s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodOptional) {
    s = s.unwrap() as z.ZodType;
  }
  return s;
}

function partialShape(schema: z.ZodObject, deep: boolean): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    const inner = bare(field as z.ZodType);
    shape[key] = (
      deep && inner instanceof z.ZodObject ? partialShape(inner, true) : inner
    ).optional();
  }
  return z.object(shape);
}

/**
 * What a patch of `schema` may send: any of its fields, none filled in by a default (a field left
 * out is left alone), nested objects likewise field by field. The schema's rules across fields
 * are not checked here: check the merged value with the schema itself (`applyPatch`).
 */
export function deepPatchOf<S extends z.ZodObject>(
  schema: S,
): z.ZodType<DeepPartial<z.output<S>>, DeepPartial<z.input<S>>> {
  return partialShape(schema, true) as never;
}

/** Like `deepPatchOf`, but a field it names is sent whole, nested objects included. */
export function patchOf<S extends z.ZodObject>(
  schema: S,
): z.ZodType<ShallowPartial<z.output<S>>, ShallowPartial<z.input<S>>> {
  return partialShape(schema, false) as never;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `patch` over `current`: an object in the patch merges field by field into the current object,
 * anything else (a number, a list, null) replaces what was there. Unchecked: see `applyPatch`.
 */
export function mergePatch(current: unknown, patch: unknown): unknown {
  if (patch === undefined) return current;
  if (!isObject(current) || !isObject(patch)) return patch;
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) merged[key] = mergePatch(current[key], value);
  }
  return merged;
}

/**
 * `patch` merged over `current` and checked whole with `schema`; what breaks a rule is refused as
 * bad input naming the field under `field` (`pricePlan.bands.2`).
 */
export function applyPatch<S extends z.ZodType>(
  schema: S,
  current: z.output<S>,
  patch: unknown,
  field: string,
): z.output<S> {
  if (patch === undefined) return current;
  const whole = z.object({ [field]: schema });
  return parseInput(whole, { [field]: mergePatch(current, patch) }, 'body')[field] as z.output<S>;
}
