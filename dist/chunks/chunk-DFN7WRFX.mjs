const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as e}from"./chunk-GH5GKXME.mjs";import{e as r}from"./chunk-Y26AOD52.mjs";var t=r(e()),s=(0,t.createRequire)(import.meta.url)("../parts/actions-helm-sync.js"),o=s.m28(),{registryInputs:a}=o;export{a};
//# sourceMappingURL=chunk-DFN7WRFX.mjs.map
