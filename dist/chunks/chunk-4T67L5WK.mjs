const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as r}from"./chunk-GH5GKXME.mjs";import{e}from"./chunk-Y26AOD52.mjs";var t=e(r()),s=(0,t.createRequire)(import.meta.url)("../parts/actions-registry-inputs.js"),i=s.m42(),{credentialsRegistry:o,openRegistries:a}=i;export{o as a,a as b};
//# sourceMappingURL=chunk-4T67L5WK.mjs.map
