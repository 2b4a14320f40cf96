const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a,b,c,d}from"./chunk-ITKYDB3H.mjs";import"./chunk-GH5GKXME.mjs";import"./chunk-Y26AOD52.mjs";export{a as DEFAULT_RETRY,b as OciRegistry,c as nextLink,d as parseChallenge};
//# sourceMappingURL=oci-DDMX5WYU.mjs.map
