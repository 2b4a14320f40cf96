const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as o}from"./chunk-GH5GKXME.mjs";import{e as r}from"./chunk-Y26AOD52.mjs";var e=r(o()),t=(0,e.createRequire)(import.meta.url)("../parts/core-config-file.js"),a=t.m36(),{parseConfig:c}=a;export{c as parseConfig};
//# sourceMappingURL=config-file-5NY7OJI4.mjs.map
