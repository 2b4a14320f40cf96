const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as d,b as e,c as f,d as g,e as h,f as i,g as j}from"./chunk-A4GUTLMZ.mjs";import{a,b,c}from"./chunk-4UTDLQOQ.mjs";import"./chunk-QSAQI4TB.mjs";import"./chunk-DLDEPHUF.mjs";import"./chunk-GH5GKXME.mjs";import"./chunk-Y26AOD52.mjs";export{c as MARKER_FIELDS,j as documentFile,h as editYaml,i as findMarkers,f as isPlainSafe,g as lineStartAfter,b as parseValuePath,d as parseYamlFile,a as pathText,e as renderScalar};
//# sourceMappingURL=yaml-edit-CHKZO7FR.mjs.map
