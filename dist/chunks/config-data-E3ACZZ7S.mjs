const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as r}from"./chunk-GH5GKXME.mjs";import{e as o}from"./chunk-Y26AOD52.mjs";var e=o(r()),t=(0,e.createRequire)(import.meta.url)("../parts/core-config-file.js"),a=t.m35(),{validConfig:c}=a;export{c as validConfig};
//# sourceMappingURL=config-data-E3ACZZ7S.mjs.map
