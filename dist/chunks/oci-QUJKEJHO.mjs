const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a,b,c,d}from"./chunk-QN3RAKI5.mjs";import"./chunk-GH5GKXME.mjs";import"./chunk-Y26AOD52.mjs";export{a as DEFAULT_RETRY,b as OciRegistry,c as nextLink,d as parseChallenge};
//# sourceMappingURL=oci-QUJKEJHO.mjs.map
