const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{c as a,d as b}from"../chunks/chunk-C5ANQGRA.mjs";import"../chunks/chunk-HBG5P3CX.mjs";import"../chunks/chunk-GH5GKXME.mjs";import"../chunks/chunk-Y26AOD52.mjs";export{a as credentialsRegistry,b as openRegistries};
//# sourceMappingURL=actions-registry-inputs.mjs.map
