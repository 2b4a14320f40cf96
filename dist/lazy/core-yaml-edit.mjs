const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a,b,c,d,e,f,g}from"../chunks/chunk-TZT5BOSB.mjs";import"../chunks/chunk-QSAQI4TB.mjs";import"../chunks/chunk-HBG5P3CX.mjs";import"../chunks/chunk-GH5GKXME.mjs";import"../chunks/chunk-Y26AOD52.mjs";export{g as documentFile,e as editYaml,f as findMarkers,c as isPlainSafe,d as lineStartAfter,a as parseYamlFile,b as renderScalar};
//# sourceMappingURL=core-yaml-edit.mjs.map
