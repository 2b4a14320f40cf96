const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import{m15 as r}from"../kernel.js";var o=await r(),{UserError:e,isUserError:t}=o;export{e as a,t as b};
