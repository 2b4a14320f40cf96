const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{a as r,c as i}from"./chunk-UVSCDZT3.mjs";var o=i((p,e)=>{e.exports=r("node:module")});export{o as a};
