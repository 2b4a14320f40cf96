const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a,b,c,d,e,f,g,h,i,j}from"../chunks/chunk-7GBYC7YG.mjs";import"../chunks/chunk-QSAQI4TB.mjs";import"../chunks/chunk-KSVOVXPJ.mjs";import"../chunks/chunk-GH5GKXME.mjs";import"../chunks/chunk-Y26AOD52.mjs";export{a as MARKER_FIELDS,j as documentFile,h as editYaml,i as findMarkers,f as isPlainSafe,g as lineStartAfter,b as parseValuePath,d as parseYamlFile,c as pathText,e as renderScalar};
//# sourceMappingURL=core-yaml-edit.mjs.map
