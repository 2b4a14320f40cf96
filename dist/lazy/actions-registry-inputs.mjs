const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{c as a,d as b,e as c}from"../chunks/chunk-VXHDL55G.mjs";import"../chunks/chunk-HBG5P3CX.mjs";import"../chunks/chunk-GH5GKXME.mjs";import"../chunks/chunk-Y26AOD52.mjs";export{b as credentialsRegistry,c as openRegistries,a as registryInputs};
//# sourceMappingURL=actions-registry-inputs.mjs.map
