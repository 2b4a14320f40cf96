const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a}from"./chunk-HEC6QXGP.mjs";import"./chunk-Y26AOD52.mjs";export default a();
//# sourceMappingURL=proxy-OWGEMFQ4.mjs.map
