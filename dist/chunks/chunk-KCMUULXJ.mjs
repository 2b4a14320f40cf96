const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as e}from"./chunk-3NOOABZ4.mjs";import{c as r}from"./chunk-FYVJH24T.mjs";function n(s){return{username:r(s,"username"),password:r(s,"password"),registry:r(s,"registry"),insecureRegistries:e(s["insecure-registries"])}}export{n as a};
//# sourceMappingURL=chunk-KCMUULXJ.mjs.map
