const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a}from"./chunk-ZGAAA45C.mjs";import"./chunk-UVSCDZT3.mjs";export default a();
