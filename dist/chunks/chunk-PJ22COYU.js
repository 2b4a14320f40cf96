import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
import{m7 as t}from"../kernel.js";var e=await t(),{readTextIfExists:i,writeFilesAtomically:o}=e;export{i as a,o as b};
