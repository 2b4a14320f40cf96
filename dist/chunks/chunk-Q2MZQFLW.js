import { createRequire as __imgverRequire } from 'node:module'; const require = __imgverRequire(import.meta.url);
import{m15 as r}from"../kernel.js";var o=await r(),{UserError:e,isUserError:t}=o;export{e as a,t as b};
