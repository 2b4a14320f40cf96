const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a}from"./chunk-PE3B6X52.mjs";import"./chunk-UVSCDZT3.mjs";export default a();
