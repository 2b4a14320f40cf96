const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a}from"./chunk-AX4NWRNY.mjs";import"./chunk-Y26AOD52.mjs";export default a();
//# sourceMappingURL=tunnel-MIYPUYH5.mjs.map
