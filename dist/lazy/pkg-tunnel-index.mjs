const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a}from"../chunks/chunk-AX4NWRNY.mjs";import"../chunks/chunk-Y26AOD52.mjs";export default a();
//# sourceMappingURL=pkg-tunnel-index.mjs.map
