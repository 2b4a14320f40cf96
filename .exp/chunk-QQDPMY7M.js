import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
import{a as r,c as i}from"./chunk-XPXPHF42.js";var o=i((p,e)=>{e.exports=r("node:crypto")});export{o as a};
