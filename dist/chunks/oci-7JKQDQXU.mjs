const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a,b,c,d}from"./chunk-FVEGBZQG.mjs";import"./chunk-46YH4H2M.mjs";import"./chunk-JUA7I2JO.mjs";import"./chunk-FL4BLY4R.mjs";import"./chunk-SDOX567Y.mjs";import"./chunk-UVSCDZT3.mjs";export{a as DEFAULT_RETRY,d as OciRegistry,c as nextLink,b as parseChallenge};
