import * as z from "zod/mini";
import * as core from "zod/v4/core";
import { codePoints } from "./limits.js";
import { dateTimeCheck, FIELD_OVERRIDES } from "./spec-overrides.js";

/**
 * Strict copies of the spec's zod schemas. The package's `setStrictObject(true)` only affects
 * schemas built after it is called, and its schemas are built at import time, so instead this
 * module rebuilds each schema tree once: every object refuses unknown keys (catchall never),
 * `lazy` references are followed (memoized, so recursive schemas stay finite), the fields in
 * spec-overrides.ts are swapped in, and string lengths are counted in code points.
 */

type Schema = core.$ZodType;

/** The Discord error a custom issue carries (our length check sets it). */
export interface DiscordIssueParams {
  discord: { code: string; message: string };
}

const strictCache = new WeakMap<Schema, Schema>();
const overrides = new Map<object, Map<string, Schema>>();
for (const override of FIELD_OVERRIDES) {
  const fields = overrides.get(override.owner) ?? new Map<string, Schema>();
  fields.set(override.field, override.schema);
  overrides.set(override.owner, fields);
}

const clone = (schema: Schema, def: Record<string, unknown>): Schema =>
  core.clone(schema, { ...schema._zod.def, ...def } as core.$ZodTypeDef);

/** Discord's bounds message for a string: "Must be between 1 and 100 in length." */
function lengthMessage(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `Must be between ${min} and ${max} in length.`;
  if (max !== undefined) return `Must be ${max} or fewer in length.`;
  return `Must be ${min} or more in length.`;
}

/**
 * Replaces a string's UTF-16 length checks with one code-point check, and a `Z`-only
 * date-time check with one that takes offsets (both in spec-overrides.ts).
 */
function documentedString(schema: Schema): Schema {
  const checks = (schema._zod.def.checks ?? []) as core.$ZodCheck[];
  let min: number | undefined;
  let max: number | undefined;
  const others = checks.flatMap((check): core.$ZodCheck[] => {
    const def = check._zod.def as {
      check: string;
      format?: string;
      minimum?: number;
      maximum?: number;
    };
    if (def.check === "max_length") max = def.maximum;
    else if (def.check === "min_length") min = def.minimum;
    else if (def.format === "datetime") return [dateTimeCheck as unknown as core.$ZodCheck];
    else return [check];
    return [];
  });
  if (min === undefined && max === undefined) return clone(schema, { checks: others });
  const length = z.check<string>((ctx) => {
    const n = codePoints(ctx.value);
    if ((max !== undefined && n > max) || (min !== undefined && n < min)) {
      ctx.issues.push({
        code: "custom",
        input: ctx.value,
        params: {
          discord: { code: "BASE_TYPE_BAD_LENGTH", message: lengthMessage(min, max) },
        } satisfies DiscordIssueParams,
      });
    }
  });
  return clone(schema, { checks: [...others, length] });
}

/** The strict copy of a spec schema (cached per schema). */
export function strict(schema: Schema): Schema {
  const cached = strictCache.get(schema);
  if (cached) return cached;
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  const s = (child: unknown) => strict(child as Schema);
  let result: Schema;
  switch (def.type) {
    case "lazy": {
      // Resolved on first parse: building eagerly would recurse through every schema.
      const getter = def.getter as () => Schema;
      result = clone(schema, { getter: () => strict(getter()) });
      break;
    }
    case "object": {
      const replaced = overrides.get(schema);
      const shape = Object.fromEntries([
        ...Object.entries(def.shape as Record<string, Schema>).map(([key, child]) => [
          key,
          replaced?.get(key) ?? s(child),
        ]),
        ...[...(replaced ?? [])].filter(([key]) => !(key in (def.shape as object))),
      ]);
      result = clone(schema, { shape, catchall: def.catchall ? s(def.catchall) : z.never() });
      break;
    }
    case "array":
      result = clone(schema, { element: s(def.element) });
      break;
    case "union":
      result = clone(schema, { options: (def.options as Schema[]).map(s) });
      break;
    case "record":
      result = clone(schema, { valueType: s(def.valueType) });
      break;
    case "intersection":
      result = clone(schema, { left: s(def.left), right: s(def.right) });
      break;
    case "tuple":
      result = clone(schema, {
        items: (def.items as Schema[]).map(s),
        rest: def.rest ? s(def.rest) : null,
      });
      break;
    case "pipe":
      result = clone(schema, { in: s(def.in), out: s(def.out) });
      break;
    case "optional":
    case "nullable":
    case "nonoptional":
    case "default":
    case "prefault":
    case "readonly":
    case "catch":
      result = clone(schema, { innerType: s(def.innerType) });
      break;
    case "string":
      result = documentedString(schema);
      break;
    default:
      result = schema;
  }
  strictCache.set(schema, result);
  return result;
}
