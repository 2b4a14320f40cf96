import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
import{a as e,c as r}from"./chunk-XPXPHF42.js";var p=r((s,i)=>{i.exports=e("node:fs/promises")});var q=r((t,o)=>{o.exports=e("node:os")});export{p as a,q as b};
