const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a,b,c,d}from"./chunk-X6NEHL4N.mjs";import"./chunk-Y26AOD52.mjs";export{b as HttpNetworkError,a as HttpResponse,d as closeIdleConnections,c as httpRequest};
//# sourceMappingURL=http-UMBLU23B.mjs.map
