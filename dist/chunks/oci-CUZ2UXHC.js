const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a,b,c,d}from"./chunk-NDZJMFNJ.js";import"./chunk-MGUC2JLU.js";import"./chunk-UN664GKO.js";import"./chunk-QKUQKULH.js";import"./chunk-6Y67QFZO.js";import"./chunk-SJSNVLE3.js";export{a as DEFAULT_RETRY,d as OciRegistry,c as nextLink,b as parseChallenge};
