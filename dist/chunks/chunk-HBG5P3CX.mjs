const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as o}from"./chunk-GH5GKXME.mjs";import{e}from"./chunk-Y26AOD52.mjs";var r=e(o()),t=(0,r.createRequire)(import.meta.url)("../kernel.js"),s=t.m14(),{UserError:m,isUserError:a}=s;export{m as a,a as b};
//# sourceMappingURL=chunk-HBG5P3CX.mjs.map
