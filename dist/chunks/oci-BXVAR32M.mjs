const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{b as a,c as b,d as c,e as d}from"./chunk-BOWK3CTM.mjs";import"./chunk-X6NEHL4N.mjs";import"./chunk-ZDXEUF4W.mjs";import"./chunk-DFQ3QKA6.mjs";import"./chunk-MKNML552.mjs";import"./chunk-YZISHJCU.mjs";import"./chunk-GYGSD4ZT.mjs";import"./chunk-Y26AOD52.mjs";export{a as DEFAULT_RETRY,d as OciRegistry,c as nextLink,b as parseChallenge};
//# sourceMappingURL=oci-BXVAR32M.mjs.map
