const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a,b,c,d}from"./chunk-2WAUIYMG.js";import"./chunk-MGUC2JLU.js";import"./chunk-W25XZGYM.js";import"./chunk-QKUQKULH.js";import"./chunk-KFAEJPSP.js";import"./chunk-SJSNVLE3.js";export{a as DEFAULT_RETRY,d as OciRegistry,c as nextLink,b as parseChallenge};
