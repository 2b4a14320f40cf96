import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
import{a,b,c}from"../chunks/chunk-2S57DZQA.js";import"../chunks/chunk-Q2MZQFLW.js";import"../chunks/chunk-QGFZFHH7.js";export{b as publishRelease,a as remoteTagCommit,c as reserveVersion};
