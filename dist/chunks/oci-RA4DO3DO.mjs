const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a,b,c,d}from"./chunk-4BPH6STE.mjs";import"./chunk-GH5GKXME.mjs";import"./chunk-Y26AOD52.mjs";export{a as DEFAULT_RETRY,b as OciRegistry,c as nextLink,d as parseChallenge};
//# sourceMappingURL=oci-RA4DO3DO.mjs.map
