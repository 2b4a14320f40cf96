const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a,b,c,d}from"./chunk-W24XRMHP.mjs";import"./chunk-Y26AOD52.mjs";export{b as HttpNetworkError,a as HttpResponse,d as closeIdleConnections,c as httpRequest};
//# sourceMappingURL=http-NNK2EDXG.mjs.map
