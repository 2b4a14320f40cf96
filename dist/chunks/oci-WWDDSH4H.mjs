const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a,b,c,d}from"./chunk-HGIVDSWP.mjs";import"./chunk-ZDXEUF4W.mjs";import"./chunk-DFQ3QKA6.mjs";import"./chunk-W24XRMHP.mjs";import"./chunk-HSLQROFX.mjs";import"./chunk-IJ7LOU73.mjs";import"./chunk-GYGSD4ZT.mjs";import"./chunk-Y26AOD52.mjs";export{a as DEFAULT_RETRY,d as OciRegistry,c as nextLink,b as parseChallenge};
//# sourceMappingURL=oci-WWDDSH4H.mjs.map
