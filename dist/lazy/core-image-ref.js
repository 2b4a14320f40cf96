import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
import{a,b,c}from"../chunks/chunk-OGZVBS5E.js";import"../chunks/chunk-Q2MZQFLW.js";import"../chunks/chunk-QGFZFHH7.js";export{b as isLoopbackHost,a as parseImageRef,c as tagOf};
