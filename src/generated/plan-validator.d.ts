// Type of the validator scripts/build.mjs generates from schema/plan.schema.json.
declare const validate: ((data: unknown) => boolean) & { errors?: unknown[] | null };
export default validate;
