const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{c as a,d as b,e as c}from"../chunks/chunk-AHK7GHAD.mjs";import"../chunks/chunk-KSVOVXPJ.mjs";import"../chunks/chunk-GH5GKXME.mjs";import"../chunks/chunk-Y26AOD52.mjs";export{b as credentialsRegistry,c as openRegistries,a as registryInputs};
//# sourceMappingURL=actions-registry-inputs.mjs.map
