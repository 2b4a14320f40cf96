const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a}from"../chunks/chunk-HEC6QXGP.mjs";import"../chunks/chunk-Y26AOD52.mjs";export default a();
//# sourceMappingURL=pkg-actions-http-client-lib-proxy.mjs.map
