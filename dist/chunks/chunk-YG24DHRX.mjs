const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as t}from"./chunk-GH5GKXME.mjs";import{e}from"./chunk-Y26AOD52.mjs";var r=e(t()),a=(0,r.createRequire)(import.meta.url)("../parts/actions-helm-sync.js"),o=a.m29(),{registryInputs:p}=o;var s=e(t()),i=(0,s.createRequire)(import.meta.url)("../parts/adapters-registry-index.js"),m=i.m38(),{Registries:n,imageLabels:l,registryReleases:g,releaseTagOf:u,resolveLatest:y}=m;export{l as a,u as b,p as c};
//# sourceMappingURL=chunk-YG24DHRX.mjs.map
