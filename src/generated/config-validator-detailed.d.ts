// Type of the validator scripts/build.mjs generates from schema/imgver.schema.json.
declare const validate: ((data: unknown) => boolean) & { errors?: unknown[] | null };
export default validate;
