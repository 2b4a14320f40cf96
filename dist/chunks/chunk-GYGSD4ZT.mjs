const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as r,c as i}from"./chunk-Y26AOD52.mjs";var o=i((p,e)=>{e.exports=r("node:module")});export{o as a};
//# sourceMappingURL=chunk-GYGSD4ZT.mjs.map
