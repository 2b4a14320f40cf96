import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
import{m18 as t}from"../kernel.js";var o=await t(),{splitLines:a}=o;export{a};
