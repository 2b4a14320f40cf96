import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
import{m24 as e}from"../kernel.js";var t=await e(),{renderTemplate:m,templateNames:o}=t;export{m as a};
