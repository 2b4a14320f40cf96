const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{c as b,d as c}from"./chunk-K5PLC7RQ.mjs";import{a}from"./chunk-KCMUULXJ.mjs";import"./chunk-3NOOABZ4.mjs";import"./chunk-FYVJH24T.mjs";import"./chunk-DLDEPHUF.mjs";import"./chunk-GH5GKXME.mjs";import"./chunk-Y26AOD52.mjs";export{b as credentialsRegistry,c as openRegistries,a as registryInputs};
//# sourceMappingURL=registry-inputs-T5CT4IMJ.mjs.map
