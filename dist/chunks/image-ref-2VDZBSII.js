import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
import{a,b,c,d}from"./chunk-HW3GC2IY.js";import"./chunk-HYTZKKMP.js";import"./chunk-QGFZFHH7.js";export{b as isLoopbackHost,a as parseImageRef,d as tagOf,c as taggedRef};
