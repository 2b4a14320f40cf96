const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as r}from"./chunk-GH5GKXME.mjs";import{e}from"./chunk-Y26AOD52.mjs";var t=e(r()),o=(0,t.createRequire)(import.meta.url)("../parts/adapters-registry-index.js"),s=o.m37(),{HttpNetworkError:p,HttpResponse:n,closeIdleConnections:a,httpRequest:c}=s;export{p as HttpNetworkError,n as HttpResponse,a as closeIdleConnections,c as httpRequest};
//# sourceMappingURL=http-AZPR6E42.mjs.map
