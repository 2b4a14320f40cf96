import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
import{a,b,c,d,e,f,g,h,i,j}from"./chunk-YJ3VIDR4.js";import"./chunk-QGFZFHH7.js";export{e as GLOBSTAR,j as Minimatch,h as braceExpand,g as defaults,a as escape,f as filter,i as match,c as minimatch,d as sep,b as unescape};
