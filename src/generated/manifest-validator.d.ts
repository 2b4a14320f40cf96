// Type of the validator scripts/build.mjs generates from schema/version-manifest.schema.json.
declare const validate: ((data: unknown) => boolean) & { errors?: unknown[] | null };
export default validate;
