import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
import{m22 as a}from"../kernel.js";var t=await a(),m=t.default;export{m as a};
