const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as e,c as r}from"./chunk-Y26AOD52.mjs";var p=r((s,i)=>{i.exports=e("node:stream")});var q=r((t,o)=>{o.exports=e("node:zlib")});export{p as a,q as b};
//# sourceMappingURL=chunk-V6BC56DH.mjs.map
