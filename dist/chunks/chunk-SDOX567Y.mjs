const require = process.getBuiltinModule ?? (await import('node:module')).createRequire(import.meta.url);
import r from"../kernel.js";var o=r.m15(),{UserError:e,isUserError:t}=o;export{e as a,t as b};
