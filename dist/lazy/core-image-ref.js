import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
import{a,b,c}from"../chunks/chunk-BHUMTTB5.js";import"../chunks/chunk-WPSLHB6Q.js";import"../chunks/chunk-QGFZFHH7.js";export{b as isLoopbackHost,a as parseImageRef,c as tagOf};
