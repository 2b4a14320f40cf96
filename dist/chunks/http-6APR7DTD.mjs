const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a,b,c,d}from"./chunk-WREK3QUV.mjs";import"./chunk-UVSCDZT3.mjs";export{b as HttpNetworkError,a as HttpResponse,d as closeIdleConnections,c as httpRequest};
